"""`make bench-scorecards`: a month's scorecards for every provider, agreement and agent.

    RAPPORT_DATA_DIR=var/bench python bench/scorecards.py --tickets 1000000           # SQLite
    DATABASE_URL=postgres://…/rapport_bench python bench/scorecards.py --tickets …   # PostgreSQL

N tickets opened over 2026 across four providers (a team, another team, a vendor,
a contractor), their agreements and 40 agents; 80 % solved, 5 % reopened, two clocks
each (first response and resolution, some breached) and a survey on a third of the
solved tickets. The data are bulk-inserted with INSERT … SELECT (test data); the
timed part is the real code: `engine.scorecards_all` for March 2026 and February
(the previous period), every dimension, read from the daily rollups the nightly task
keeps (rollups.py); the live read before any rollup and the rollup time are shown too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 2.0  # seconds
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
AGENTS = 40


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def seed(tickets: int) -> None:
    from django.db import connection

    from rapport.directory import actions as directory
    from rapport.sla.models import TicketClock
    from rapport.surveys.models import Survey
    from rapport.testing import build_world
    from rapport.tickets.models import Status, Ticket

    world = build_world()
    teams = [world.support, world.it]
    agents = []
    for n in range(AGENTS):
        person = directory.create_person(
            None, username=f"bench{n}", email=f"bench{n}@example.com",
            full_name=f"Bench Agent {n}", staff_role="agent",
        )  # fmt: skip
        directory.add_team_member(None, teams[n % 2], person)
        agents.append(person.pk)
    open_status = Status.objects.filter(category="open").order_by("position").first()
    solved_status = Status.objects.filter(category="solved").order_by("position").first()
    assert open_status is not None and solved_status is not None
    # Four relationships, by id % 4: (provider, client, agreement).
    combos = [
        (world.support.party_id, world.customer.party_id, world.sla.pk),
        (world.it.party_id, world.own.party_id, world.ola.pk),
        (world.vendor.party_id, world.support.party_id, world.uc.pk),
        (world.contractor.party_id, world.customer.party_id, world.contractor_uc.pk),
    ]
    t, c, s = Ticket._meta.db_table, TicketClock._meta.db_table, Survey._meta.db_table
    pg = connection.vendor == "postgresql"
    base = connection.ops.adapt_datetimefield_value(YEAR)

    def at(seconds: str) -> str:
        """The timestamp `seconds` (an SQL expression) after the start of 2026."""
        if pg:
            return f"(%s::timestamptz + ({seconds}) * interval '1 second')"
        return f"datetime(%s, '+' || ({seconds}) || ' seconds')"

    def case(column: str, values: list[object]) -> str:
        whens = " ".join(f"WHEN {column} %% {len(values)} = {i} THEN {v}"
                         for i, v in enumerate(values))  # fmt: skip
        return f"CASE {whens} END"

    if pg:
        prefix, numbers = "", "FROM generate_series(1, %s::bigint) AS n(i)"
    else:
        prefix = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        numbers = "FROM n"
    created = at("(i * 7919) %% 31536000")
    solved = at("(i * 7919) %% 31536000 + (i * 13) %% 400000")
    # Agents: teams' tickets go to their own agents; vendors' to their users.
    team_agents = {0: [a for n, a in enumerate(agents) if n % 2 == 0],
                   1: [a for n, a in enumerate(agents) if n % 2 == 1]}  # fmt: skip
    assignee = (
        f"CASE WHEN i %% 4 = 0 THEN {case('(i / 4)', list(team_agents[0]))} "
        f"WHEN i %% 4 = 1 THEN {case('(i / 4)', list(team_agents[1]))} "
        f"WHEN i %% 4 = 2 THEN {world.vendor_user.pk} ELSE {world.contractor_user.pk} END"
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        sql = (
            "INSERT INTO {t} (subject, requester_id, client_party_id, provider_party_id, "
            "agreement_id, priority, status_id, status_category, assignee_id, channel, "
            "message_count, reopen_count, created_at, updated_at, solved_at) "
            "SELECT 'Bench ticket', {requester}, {client}, {provider}, {agreement}, 2, "
            "CASE WHEN i %% 10 < 8 THEN {solved_status} ELSE {open_status} END, "
            "CASE WHEN i %% 10 < 8 THEN 'solved' ELSE 'open' END, {assignee}, 'web', 2, "
            "CASE WHEN i %% 20 = 0 THEN 1 ELSE 0 END, {created}, {created}, "
            "CASE WHEN i %% 10 < 8 THEN {solved} ELSE NULL END {numbers}"
        ).format(
            t=t, requester=world.contact.pk, client=case("i", [x[1] for x in combos]),
            provider=case("i", [x[0] for x in combos]),
            agreement=case("i", [x[2] for x in combos]), solved_status=solved_status.pk,
            open_status=open_status.pk, assignee=assignee, created=created, solved=solved,
            numbers=numbers,
        )  # fmt: skip
        params = [base] * 3  # created_at, updated_at, solved_at
        if prefix:
            cursor.execute(prefix + sql, [tickets, *params])
        else:
            cursor.execute(sql, [*params, tickets])
        print(f"  tickets in {time.perf_counter() - began:.1f} s", flush=True)
        minute = 60_000_000
        for kind, target, used, done in (
            ("first_response", 240, f"((id * 37) %% 480) * {minute}", "id %% 10 < 9"),
            ("resolution", 2400, f"((id * 53) %% 3000) * {minute}", "solved_at IS NOT NULL"),
        ):
            cursor.execute(
                f"INSERT INTO {c} (ticket_id, kind, cycle, agreement_id, priority, "  # noqa: S608
                "target_minutes, state, started_at, running_since, used_us, due_at, "
                "breached_at, stopped_at, warned_percent, next_check_at) "
                f"SELECT id, '{kind}', 1, agreement_id, 2, {target}, "
                f"CASE WHEN {done} THEN 'fulfilled' ELSE 'running' END, created_at, "
                f"CASE WHEN {done} THEN NULL ELSE created_at END, {used}, "
                f"CASE WHEN {done} THEN NULL ELSE created_at END, "
                f"CASE WHEN {used} > {target * minute} THEN created_at ELSE NULL END, "
                f"CASE WHEN {done} THEN created_at ELSE NULL END, 0, NULL FROM {t}",
                [],
            )
        print(f"  clocks in {time.perf_counter() - began:.1f} s", flush=True)
        cursor.execute(
            f"INSERT INTO {s} (ticket_id, agreement_id, provider_party_id, agent_id, "  # noqa: S608
            "respondent_id, metrics, ask_comment, state, reason, created_at, send_at, "
            "sent_at, answered_at, csat, ces, nps, comment) "
            "SELECT id, agreement_id, provider_party_id, assignee_id, requester_id, "
            '\'["csat", "ces", "nps"]\', true, '
            "CASE WHEN id %% 6 = 0 THEN 'answered' ELSE 'sent' END, '', solved_at, solved_at, "
            "solved_at, CASE WHEN id %% 6 = 0 THEN solved_at ELSE NULL END, "
            "CASE WHEN id %% 6 = 0 THEN 1 + id %% 5 ELSE NULL END, "
            "CASE WHEN id %% 6 = 0 THEN 1 + id %% 7 ELSE NULL END, "
            "CASE WHEN id %% 6 = 0 THEN id %% 11 ELSE NULL END, '' "
            f"FROM {t} WHERE solved_at IS NOT NULL AND id %% 3 = 0",
            [],
        )
        cursor.execute("ANALYZE")
    print(f"seeded {tickets:,} tickets, {2 * tickets:,} clocks and their surveys in "
          f"{time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from django.db import connection, reset_queries
    from django.test import override_settings

    from bench.suite import engine as engine_name
    from rapport.directory.queries import Scope
    from rapport.scorecards import engine, rollups
    from rapport.scorecards.periods import period_containing

    name = engine_name()
    print(f"Scorecard benchmark on {name}: {args.tickets:,} tickets", flush=True)
    seed(args.tickets)
    manager = Scope(person_id=None, staff_role="manager")
    march = period_containing("month", date(2026, 3, 15))
    now = datetime(2026, 4, 2, tzinfo=UTC)
    began = time.perf_counter()
    live = engine.scorecards_all(manager, march, now=now)
    live_seconds = time.perf_counter() - began
    print(f"read live (no rollups yet): {live_seconds:.2f} s", flush=True)
    # What the nightly task does: roll up each finished day, snapshot each midnight's backlog.
    days = [date(2026, 2, 1) + timedelta(days=n) for n in range(59)]
    began = time.perf_counter()
    rollups.roll_up(days, now=now)
    rollup_seconds = time.perf_counter() - began
    for day in (date(2026, 3, 1), date(2026, 4, 1)):
        rollups.snapshot_backlog(day)
    print(f"rolled up {len(days)} days in {rollup_seconds:.1f} s "
          f"({rollup_seconds / len(days) * 1e3:.0f} ms a day)", flush=True)  # fmt: skip
    samples = []
    result: dict[str, list[dict[str, object]]] = {}
    for _ in range(args.runs):
        began = time.perf_counter()
        result = engine.scorecards_all(manager, march, now=now)
        samples.append(time.perf_counter() - began)
    with override_settings(DEBUG=True):
        reset_queries()
        engine.scorecards_all(manager, march, now=now)
        queries = len(connection.queries)
    if result != live:
        raise RuntimeError("the rolled-up scorecards differ from the live ones")
    med, p95 = statistics.median(samples), percentile(samples, 0.95)
    counts = {d: len(rows) for d, rows in result.items()}
    print()
    print(f"{name}, scorecards of {march.label} (and {march.previous().label}) over "
          f"{args.tickets:,} tickets: {counts['provider']} providers, {counts['agreement']} "
          f"agreements, {counts['agent']} agents; {queries} SQL queries")  # fmt: skip
    verdict = "ok" if p95 <= TARGET else "MISSED"
    print(f"from daily rollups: median {med:.2f} s  p95 {p95:.2f} s  "
          f"(target <= {TARGET:.0f} s: {verdict}; {args.runs} runs); "
          f"live read {live_seconds:.2f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
