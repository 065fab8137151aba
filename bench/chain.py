"""`make bench-chain`: chain analytics for a quarter over 100,000 customer tickets.

    RAPPORT_DATA_DIR=var/bench-chain python bench/chain.py --tickets 100000          # SQLite
    DATABASE_URL=postgres://…/rapport_chainbench python bench/chain.py --tickets …   # PostgreSQL

N customer tickets of Globex to Support, opened evenly over a quarter; 30 % of
them handed off (to IT under its OLA or to PrintCo under its UC, alternately),
and a third of IT's hand-offs handed on to PrintCo. Every ticket has a fulfilled
resolution clock, about a third of them breached; a third of the customer tickets
have an answered survey (CSAT and NPS). The tickets, clocks and surveys are
bulk-inserted with one INSERT … SELECT each (test data, as in the main bench);
the analytics and the relationship map are then read through the API with
Django's test client, in process, as a manager would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 1.0  # seconds, p95
QUARTER_START = datetime(2026, 1, 1, tzinfo=UTC)
QUARTER = timedelta(days=90)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="timed reads of each workload")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    if args.tickets < 10:
        parser.error("--tickets must be at least 10")
    return args


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def seed(tickets: int) -> dict[str, int]:
    from django.db import connection

    from rapport.sla.models import TicketClock
    from rapport.surveys.models import Survey
    from rapport.testing import build_world
    from rapport.tickets.models import Status, Ticket

    world = build_world()
    solved = Status.objects.get(slug="solved")
    t, c, s = Ticket._meta.db_table, TicketClock._meta.db_table, Survey._meta.db_table
    start = connection.ops.adapt_datetimefield_value(QUARTER_START)
    step = int(QUARTER.total_seconds() // tickets)
    if connection.vendor == "postgresql":
        prefix, numbers = "", "FROM generate_series(1, %s) AS n(i)"
        created = "%s::timestamptz + make_interval(secs => (i - 1) * %s)"
    else:
        prefix = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        numbers = "FROM n"
        created = "datetime(%s, '+' || ((i - 1) * %s) || ' seconds')"
    columns = ("subject, requester_id, client_party_id, provider_party_id, agreement_id, "
               "priority, status_id, status_category, channel, message_count, reopen_count, "
               "created_at, updated_at, solved_at, parent_id, chain_root_id")  # fmt: skip
    began = time.perf_counter()
    with connection.cursor() as cursor:
        roots = (
            f"INSERT INTO {t} ({columns}) SELECT 'Bench ticket', %s, %s, %s, %s, 2, %s, "
            f"'solved', 'web', 1, CASE WHEN i %% 17 = 0 THEN 1 ELSE 0 END, {created}, "
            f"{created}, {created}, NULL, NULL {numbers}"
        )
        params = [world.contact.pk, world.customer.party_id, world.support.party_id,
                  world.sla.pk, solved.pk, start, step, start, step, start, step]  # fmt: skip
        if prefix:
            cursor.execute(prefix + roots, [tickets, *params])
        else:
            cursor.execute(roots, [*params, tickets])
        # 30 % handed off: alternately to IT (OLA) and to PrintCo (UC).
        cursor.execute(
            f"INSERT INTO {t} ({columns}) SELECT 'Bench hand-off', requester_id, %s, "  # noqa: S608
            "CASE WHEN id %% 2 = 0 THEN %s ELSE %s END, CASE WHEN id %% 2 = 0 THEN %s ELSE %s END, "
            "2, status_id, 'solved', 'web', 1, 0, created_at, updated_at, solved_at, id, id "
            f"FROM {t} WHERE parent_id IS NULL AND id %% 10 < 3",
            [world.support.party_id, world.it.party_id, world.vendor.party_id, world.ola.pk,
             world.uc.pk],
        )  # fmt: skip
        # A third of IT's hand-offs go on to PrintCo: chains of three links.
        cursor.execute(
            f"INSERT INTO {t} ({columns}) SELECT 'Bench part', requester_id, %s, %s, %s, 2, "  # noqa: S608
            "status_id, 'solved', 'web', 1, 0, created_at, updated_at, solved_at, id, "
            f"chain_root_id FROM {t} WHERE provider_party_id = %s AND parent_id IS NOT NULL "
            "AND parent_id %% 3 = 0",
            [world.it.party_id, world.vendor.party_id, world.uc.pk, world.it.party_id],
        )
        # One fulfilled resolution clock each: used 0–899 business minutes of a 600
        # minute target, so a third breached.
        cursor.execute(
            f"INSERT INTO {c} (ticket_id, kind, cycle, agreement_id, priority, target_minutes, "  # noqa: S608
            "state, started_at, running_since, used_us, due_at, breached_at, stopped_at, "
            "warned_percent, next_check_at) "
            "SELECT id, 'resolution', 1, agreement_id, 2, 600, 'fulfilled', created_at, NULL, "
            "(id %% 900) * 60000000, NULL, CASE WHEN id %% 900 > 600 THEN created_at END, "
            f"solved_at, 0, NULL FROM {t}",
            [],
        )
        # A third of the customers answered their survey: CSAT 1–5 and NPS 0–10.
        cursor.execute(
            f"INSERT INTO {s} (ticket_id, agreement_id, provider_party_id, agent_id, "  # noqa: S608
            "respondent_id, metrics, ask_comment, state, reason, created_at, send_at, sent_at, "
            "answered_at, csat, ces, nps, comment) "
            "SELECT id, agreement_id, provider_party_id, NULL, requester_id, %s, FALSE, "
            "'answered', '', solved_at, solved_at, solved_at, solved_at, 1 + id %% 5, NULL, "
            f"id %% 11, '' FROM {t} WHERE parent_id IS NULL AND id %% 3 = 0",
            ['["csat", "nps"]'],
        )
        cursor.execute("ANALYZE")
        cursor.execute(f"SELECT COUNT(*), COUNT(parent_id) FROM {t}")  # noqa: S608
        total, children = cursor.fetchone()
    print(f"seeded {tickets:,} customer tickets and {children:,} hand-offs in "
          f"{time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip
    return {"tickets": total, "children": children}


def measure(path: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rapport.directory.models import Person

    client = Client()
    client.force_login(Person.objects.get(username="manager"))
    client.get(path)  # warm the caches, as a running server would be
    samples = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(samples), percentile(samples, 0.95), len(queries)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from bench.suite import engine, print_table

    name = engine()
    print(f"Chain benchmark on {name}: {args.tickets:,} customer tickets", flush=True)
    seed(args.tickets)
    since, until = QUARTER_START.isoformat(), (QUARTER_START + QUARTER).isoformat()
    period = f"since={since.replace('+', '%2B')}&until={until.replace('+', '%2B')}"
    from django.test import Client

    from rapport.directory.models import Person

    probe = Client()
    probe.force_login(Person.objects.get(username="manager"))
    body = probe.get(f"/api/v1/chain/analytics?{period}").json()
    if body["external_tickets"] != args.tickets:
        raise RuntimeError(f"counted {body['external_tickets']} customer tickets")
    workloads = [
        ("chain analytics, a quarter (API)", f"/api/v1/chain/analytics?{period}"),
        ("chain analytics page", "/chain/analytics/?since=2026-01-01&until=2026-03-31"),
        ("relationship map, a quarter (API)", f"/api/v1/chain/map?{period}"),
        ("relationship map page (SVG)", "/chain/map/?since=2026-01-01&until=2026-03-31"),
    ]
    rows = [("workload", "median", "p95", "queries", "target", "")]
    for label, path in workloads:
        med, p95, count = measure(path, args.requests)
        verdict = "ok" if p95 <= TARGET else "MISSED"
        target = f"p95 <= {TARGET * 1e3:.0f} ms"
        rows.append(
            (label, f"{med * 1e3:.0f} ms", f"{p95 * 1e3:.0f} ms", str(count), target, verdict)
        )
    print_table(f"{name}, service chain, {args.tickets:,} customer tickets, 30 % handed off", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
