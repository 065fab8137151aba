"""`make bench-quality`: the weekly review sample over many tickets, and team health
for every team for a quarter.

    RAPPORT_DATA_DIR=var/bench-quality python bench/quality.py --tickets 100000        # SQLite
    DATABASE_URL=postgres://…/rapport_qualitybench python bench/quality.py --tickets …  # PostgreSQL

N tickets solved in one week, spread over Support, IT and the vendor PrintCo (every
17th reopened, every 23rd a long thread), bulk-inserted with one INSERT … SELECT (test
data, as in the other benches); then `draw_weekly_sample` (candidates per provider,
seeded draw, risk picks, queue rows) is timed, and the health of every team (eNPS
from a pulse round, OLA attainment, CSAT, quality, kudos) for a quarter, per team
and for all teams at once. The issue's targets: the sample over 1,000,000 tickets
≤ 2 s; team health p95 ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WEEK = date(2026, 3, 2)
QUARTER_START = datetime(2026, 1, 1, tzinfo=UTC)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=30, help="extra teams for team health")
    parser.add_argument("--requests", type=int, default=20)
    return parser.parse_args(argv)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def seed(tickets: int, teams: int) -> None:
    from django.db import connection

    from rapport.core import clock
    from rapport.directory import actions as directory
    from rapport.people.actions import pulse, recognition
    from rapport.testing import build_world
    from rapport.tickets.models import Status, Ticket

    world = build_world()
    solved = Status.objects.get(slug="solved")
    t = Ticket._meta.db_table
    start = connection.ops.adapt_datetimefield_value(datetime(2026, 3, 2, tzinfo=UTC))
    step = max(1, int(timedelta(days=7).total_seconds() // tickets))
    if connection.vendor == "postgresql":
        prefix, numbers = "", "FROM generate_series(1, %s) AS n(i)"
        created = "%s::timestamptz + make_interval(secs => (i - 1) * %s)"
    else:
        prefix = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        numbers = "FROM n"
        created = "datetime(%s, '+' || ((i - 1) * %s) || ' seconds')"
    providers = (world.support.party_id, world.it.party_id, world.vendor.party_id)
    columns = ("subject, requester_id, client_party_id, provider_party_id, priority, "
               "status_id, status_category, channel, message_count, reopen_count, "
               "created_at, updated_at, solved_at")  # fmt: skip
    began = time.perf_counter()
    with connection.cursor() as cursor:
        sql = (
            f"INSERT INTO {t} ({columns}) SELECT 'Bench ticket', %s, %s, "
            f"CASE i %% 3 WHEN 0 THEN %s WHEN 1 THEN %s ELSE %s END, 2, %s, 'solved', 'web', "
            f"CASE WHEN i %% 23 = 0 THEN 12 ELSE 2 END, CASE WHEN i %% 17 = 0 THEN 1 ELSE 0 END, "
            f"{created}, {created}, {created} {numbers}"
        )
        cursor.execute(prefix + sql if prefix else sql, (
            *([tickets] if prefix else []), world.contact.pk, world.customer.party_id,
            *providers, solved.pk, start, step, start, step, start, step,
            *([] if prefix else [tickets]),
        ))  # fmt: skip
    print(f"seeded {tickets:,} tickets in {time.perf_counter() - began:.1f} s")
    with clock.travel_to(QUARTER_START + timedelta(days=10)):
        for i in range(teams):
            team = directory.create_team(None, name=f"Bench team {i}")
            members = []
            for j in range(6):
                p = directory.create_person(None, username=f"b{i}_{j}", staff_role="agent")
                directory.add_team_member(None, team, p)
                members.append(p)
            r = pulse.open_round(pulse.set_up_pulse(None, team))
            for j, p in enumerate(members):
                pulse.answer(p, r, enps=(i + j) % 11, items={"valued": 3})
            recognition.give_kudos(members[0], to_team=world.support, message="Thanks")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rapport.core import clock
    from rapport.directory.models import Team
    from rapport.people import pulse_queries
    from rapport.people.actions import sampling
    from rapport.tickets.models import Ticket

    if Ticket.objects.exists():
        print("The bench database is not empty: remove it (RAPPORT_DATA_DIR) or drop it.")
        return 2
    seed(args.tickets, args.teams)
    print(f"database: {connection.vendor}; the machine is shared and loaded: figures are noisy")
    began = time.perf_counter()
    added = sampling.draw_weekly_sample(WEEK)
    sample = time.perf_counter() - began
    began = time.perf_counter()
    sampling.weekly_candidates(WEEK)
    again = time.perf_counter() - began
    print(f"weekly sample over {args.tickets:,} tickets: {sample * 1000:.0f} ms "
          f"({added} queue rows); candidates alone again: {again * 1000:.0f} ms")  # fmt: skip
    teams = list(Team.objects.all())
    since, until = QUARTER_START, QUARTER_START + timedelta(days=90)
    now = clock.now()
    samples = []
    for i in range(args.requests):
        team = teams[i % len(teams)]
        began = time.perf_counter()
        pulse_queries.team_health([team], since, until, now)
        samples.append(time.perf_counter() - began)
    began = time.perf_counter()
    pulse_queries.team_health(teams, since, until, now)
    every = time.perf_counter() - began
    print(f"team health, one team, a quarter: median {percentile(samples, 0.5) * 1000:.0f} ms, "
          f"p95 {percentile(samples, 0.95) * 1000:.0f} ms; all {len(teams)} teams at once: "
          f"{every * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
