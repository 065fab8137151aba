"""`make bench-sla`: the SLA engine at a million tickets.

    RAPPORT_DATA_DIR=var/bench python bench/sla.py --tickets 1000000           # SQLite
    DATABASE_URL=postgres://…/rapport_bench python bench/sla.py --tickets …   # PostgreSQL

1. Due times: first-response and resolution due times of N tickets opened at
   random instants of a year, under four realistic calendars (Berlin office with
   its holidays, New York office with its holidays, a 24×7 desk, a Sydney night
   shift running past midnight), in one process: the pure computation.
2. Sweeper: N open tickets with a running clock each, 1 % of them due (half at a
   breach, half at a warning threshold); one sweeper pass records every warning
   and breach. Timed several times, the due rows reset between passes.

The tickets and clocks are bulk-inserted with one INSERT … SELECT each (test
data, as in the main bench); the sweeper then runs the real code on them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DUE_TARGET = 100_000  # tickets/s
SWEEP_TARGET = 1.0  # seconds
BERLIN = ZoneInfo("Europe/Berlin")
# Monday 9:00 opened, swept Tuesday 12:00 (Berlin office): 11 business hours used.
OPENED = datetime(2026, 3, 9, 9, 0, tzinfo=BERLIN)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
BREACHING, WARNING, QUIET = 600, 1200, 4800  # targets in minutes: 110 %, 55 %, 14 % used


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--passes", type=int, default=5, help="timed sweeper passes")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


# --- 1. due times ----------------------------------------------------------------


def due_times(tickets: int) -> tuple[float, float, float]:
    """Median and p95 seconds per 100,000 tickets, and the overall rate."""
    from rapport.sla.business_time import MINUTE_US, CalendarSpec, compile_calendar, to_us

    office = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
    calendars = [
        compile_calendar(CalendarSpec.build(time_zone="Europe/Berlin", weekly_hours=office,
                                            holiday_country="DE", holiday_subdivision="BE")),
        compile_calendar(CalendarSpec.build(time_zone="America/New_York", weekly_hours=office,
                                            holiday_country="US", holiday_subdivision="NY")),
        compile_calendar(CalendarSpec.build(time_zone="UTC", always_open=True)),
        compile_calendar(CalendarSpec.build(
            time_zone="Australia/Sydney",
            weekly_hours=[{"weekday": d, "start": "20:00", "end": "04:00"} for d in range(7)],
            holiday_country="AU", holiday_subdivision="NSW")),
    ]  # fmt: skip
    targets = [(30, 240), (60, 480), (240, 2400), (480, 4800)]
    rng = random.Random(42)
    year = to_us(datetime(2026, 1, 1, tzinfo=UTC))
    span = 365 * 24 * 3600 * 1_000_000
    chunk = 100_000
    # Compiling a calendar's years is done once per process, not per ticket: do it first.
    for cal in calendars:
        for months in range(0, 15):
            cal.add(year + months * 30 * 86_400_000_000, 10_000 * MINUTE_US)
    samples = []
    done = 0
    while done < tickets:
        n = min(chunk, tickets - done)
        work = [
            (rng.choice(calendars), year + rng.randrange(span), *rng.choice(targets))
            for _ in range(n)
        ]
        began = time.perf_counter()
        for cal, opened, first, resolution in work:
            cal.add(opened, first * MINUTE_US)
            cal.add(opened, resolution * MINUTE_US)
        samples.append((time.perf_counter() - began) * chunk / n)
        done += n
    return statistics.median(samples), percentile(samples, 0.95), tickets / sum(samples)


# --- 2. the sweeper -------------------------------------------------------------------


def seed(tickets: int) -> None:
    from django.db import connection

    from rapport.sla.models import TicketClock
    from rapport.testing import build_world
    from rapport.tickets.models import Status, Ticket

    world = build_world()
    status = Status.objects.filter(category="open").order_by("position").first()
    assert status is not None
    t, c = Ticket._meta.db_table, TicketClock._meta.db_table
    opened = connection.ops.adapt_datetimefield_value(OPENED)
    later = connection.ops.adapt_datetimefield_value(NOW + timedelta(days=1))
    due_past = connection.ops.adapt_datetimefield_value(NOW - timedelta(hours=1))
    due_future = connection.ops.adapt_datetimefield_value(NOW + timedelta(days=3))
    check_past = connection.ops.adapt_datetimefield_value(NOW - timedelta(minutes=1))
    if connection.vendor == "postgresql":
        numbers = "FROM generate_series(1, %s) AS n(i)"
        prefix = ""
    else:
        prefix = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        numbers = "FROM n"
    columns = ("subject, requester_id, client_party_id, provider_party_id, agreement_id, "
               "priority, status_id, status_category, channel, message_count, reopen_count, "
               "created_at, updated_at")  # fmt: skip
    began = time.perf_counter()
    with connection.cursor() as cursor:
        ticket_sql = (
            f"INSERT INTO {t} ({columns}) SELECT 'Bench ticket', %s, %s, %s, %s, 2, %s, "
            f"'open', 'web', 1, 0, %s, %s {numbers}"
        )
        params = [world.contact.pk, world.customer.party_id, world.support.party_id,
                  world.sla.pk, status.pk, opened, opened]  # fmt: skip
        if prefix:
            cursor.execute(prefix + ticket_sql, [tickets, *params])
        else:
            cursor.execute(ticket_sql, [*params, tickets])
        # One running resolution clock per ticket; ids ending in 00 are due.
        cursor.execute(
            f"INSERT INTO {c} (ticket_id, kind, cycle, agreement_id, priority, target_minutes, "  # noqa: S608
            "state, started_at, running_since, used_us, due_at, warned_percent, next_check_at) "
            f"SELECT id, 'resolution', 1, agreement_id, 2, "
            f"CASE WHEN id %% 200 = 0 THEN {BREACHING} WHEN id %% 100 = 0 THEN {WARNING} "
            f"ELSE {QUIET} END, 'running', created_at, created_at, 0, "
            "CASE WHEN id %% 200 = 0 THEN %s ELSE %s END, 0, "
            f"CASE WHEN id %% 100 = 0 THEN %s ELSE %s END FROM {t}",
            [due_past, due_future, check_past, later],
        )
        cursor.execute("ANALYZE")
    print(f"seeded {tickets:,} open tickets with clocks in {time.perf_counter() - began:.1f} s",
          flush=True)  # fmt: skip


def reset() -> None:
    """Make the 1 % due again, as before the pass."""
    from django.db import connection

    from rapport.sla.models import TicketClock
    from rapport.tickets.models import Event

    check_past = connection.ops.adapt_datetimefield_value(NOW - timedelta(minutes=1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TicketClock._meta.db_table} SET warned_percent = 0, breached_at = NULL, "  # noqa: S608
            "next_check_at = %s WHERE ticket_id %% 100 = 0",
            [check_past],
        )
    Event.objects.filter(kind__in=["sla_warning", "sla_breached"]).delete()


def sweeps(tickets: int, passes: int) -> tuple[float, float, int, int]:
    from rapport.agreements.models import Agreement
    from rapport.sla.business_time import compile_calendar, to_us
    from rapport.sla.sweeper import sweep

    # As for the due times: a worker compiles a calendar's year once (a quarter of
    # a second for Berlin's, holidays included), not in every pass.
    for agreement in Agreement.objects.select_related("calendar"):
        compile_calendar(agreement.calendar).between(
            to_us(NOW - timedelta(days=30)), to_us(NOW + timedelta(days=30))
        )
    samples, result = [], None
    for i in range(passes):
        if i:
            reset()
        began = time.perf_counter()
        result = sweep(NOW)
        samples.append(time.perf_counter() - began)
        expected = tickets // 100
        if result.warnings + result.breaches != expected:
            raise RuntimeError(f"pass {i} handled {result} instead of {expected:,} clocks")
    assert result is not None
    print("sweeper passes: " + ", ".join(f"{s:.2f} s" for s in samples), flush=True)
    return statistics.median(samples), percentile(samples, 0.95), result.breaches, result.warnings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from bench.suite import engine, print_table

    name = engine()
    print(f"SLA benchmark on {name}: {args.tickets:,} tickets", flush=True)
    med, p95, rate = due_times(args.tickets)
    print(f"due times computed: {rate:,.0f} tickets/s", flush=True)
    seed(args.tickets)
    s_med, s_p95, breaches, warnings = sweeps(args.tickets, args.passes)
    rows = [
        ("workload", "median", "p95", "rate", "target", ""),
        (f"due times, {args.tickets:,} tickets (2 clocks each)",
         f"{med * 1e3:.0f} ms/100k", f"{p95 * 1e3:.0f} ms/100k", f"{rate:,.0f}/s",
         f">= {DUE_TARGET:,}/s", "ok" if rate >= DUE_TARGET else "MISSED"),
        (f"sweeper pass, {args.tickets:,} open, 1 % due ({breaches:,} breaches, "
         f"{warnings:,} warnings)", f"{s_med:.2f} s", f"{s_p95:.2f} s", "",
         f"<= {SWEEP_TARGET:.0f} s", "ok" if s_p95 <= SWEEP_TARGET else "MISSED"),
    ]  # fmt: skip
    print_table(f"{name}, SLA engine", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
