"""`make bench-improvement`: the Pareto of a quarter over many reviews, and opening
reviews from triggering events.

    RAPPORT_DATA_DIR=var/bench-improvement python bench/improvement.py --reviews 50000   # SQLite
    DATABASE_URL=postgres://…/rapport_improvementbench python bench/improvement.py …  # PostgreSQL

The reviews (a quarter and the quarter before, spread over 12 providers and teams, six
causes, six triggers, half linked to one of 40 documents) are bulk-inserted as test
data, as in the main bench; the Pareto is then read through the API and the desk page
with Django's test client, in process, for every dimension. The Pareto reads reviews
only (and answered surveys for the word of mouth), so the ticket table's size does not
enter it; the data set has no tickets. Opening reviews goes through the action the
reactions call, one event at a time, every event and a 20 % sample.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARETO_TARGET = 1.0  # seconds, p95
OPEN_TARGET = 1_000  # reviews opened per second
CAUSES = (
    ["procedure"] * 5 + ["training"] * 4 + ["policy"] * 2 + ["management", "personnel", "outside"]
)
BATCH = 200  # the reactor's pass on SQLite (SQLITE_BATCH)
TRIGGERS = ["breach", "csat", "nps", "ces", "reopen", "complaint"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=50_000, help="reviews in the quarter")
    parser.add_argument("--events", type=int, default=2_000, help="events to open reviews for")
    parser.add_argument("--requests", type=int, default=20, help="timed reads of each dimension")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def seed(reviews: int) -> None:
    from django.db import connection, transaction

    from rapport.core import clock
    from rapport.directory import actions as directory
    from rapport.improvement.models import Review
    from rapport.policies.models import Document
    from rapport.testing import build_world

    world = build_world()
    rng = random.Random(2026)
    now = clock.now()
    teams = [world.support, world.it] + [
        directory.create_team(None, name=f"Bench team {n}") for n in range(10)
    ]
    docs = Document.objects.bulk_create(
        [
            Document(
                kind=("policy", "procedure")[n % 2],
                title=f"Document {n}",
                owner=world.manager,
                team=world.support,
                created_at=now,
                updated_at=now,
            )
            for n in range(40)
        ]
    )
    through = Review.documents.through
    with transaction.atomic():
        # Two quarters: the one measured and the one before it (the index must skip it).
        total = reviews * 2
        for start in range(0, total, 5_000):
            batch = []
            for n in range(start, min(start + 5_000, total)):
                team = teams[rng.randrange(len(teams))]
                cause = CAUSES[rng.randrange(len(CAUSES))]
                batch.append(
                    Review(
                        source=f"bench:{n}",
                        trigger=TRIGGERS[n % len(TRIGGERS)],
                        provider_id=team.party_id,
                        team=team,
                        responsible_id=team.party_id,
                        status="closed",
                        cause=cause,
                        counts=cause != "personnel" or n % 2 == 0,
                        opened_at=now - timedelta(days=rng.uniform(0, 180)),
                        closed_at=now,
                    )
                )
            made = Review.objects.bulk_create(batch)
            through.objects.bulk_create(
                [
                    through(review_id=r.pk, document_id=docs[r.pk % len(docs)].pk)
                    for r in made
                    if r.pk % 2 == 0
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: object, path: str, requests: int) -> tuple[float, float]:
    samples = []
    for _ in range(requests + 2):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    samples = samples[2:]  # warm-up
    return statistics.median(samples), percentile(samples, 0.95)


def open_rate(events: int, share: int) -> float:
    from django.db import transaction

    from rapport.directory.models import Party
    from rapport.improvement import actions

    actions.set_rule(None, "reopen", enabled=True, share=share, seed=1)
    parties = list(Party.objects.filter(kind="team")[:12])
    started = time.perf_counter()
    # As the reactor runs them: a pass of BATCH events in one transaction, a savepoint
    # per handler call.
    for first in range(0, events, BATCH):
        with transaction.atomic():
            for n in range(first, min(first + BATCH, events)):
                with transaction.atomic():
                    party = parties[n % len(parties)]
                    actions.open_review("reopen", f"open:{share}:{n}", provider=party)
    return events / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from bench.suite import engine, print_table

    name = engine()
    print(
        f"Improvement benchmark on {name}: {args.reviews:,} reviews a quarter "
        f"(and as many the quarter before)",
        flush=True,
    )
    began = time.perf_counter()
    seed(args.reviews)
    print(f"seeded in {time.perf_counter() - began:.1f} s", flush=True)
    from django.test import Client

    from rapport.directory.models import Person
    from rapport.improvement.pareto import DIMENSIONS

    client = Client()
    client.force_login(Person.objects.get(username="manager"))
    rows = [("workload", "median", "p95", "target", "")]
    for dimension in DIMENSIONS:
        for label, path in (
            ("API", f"/api/v1/improvement/pareto?dimension={dimension}"),
            ("page", f"/improvement/pareto/?dimension={dimension}"),
        ):
            med, p95 = measure(client, path, args.requests)
            rows.append(
                (
                    f"Pareto of a quarter by {dimension} ({label})",
                    f"{med * 1e3:.1f} ms",
                    f"{p95 * 1e3:.1f} ms",
                    f"p95 <= {PARETO_TARGET * 1e3:.0f} ms",
                    "ok" if p95 <= PARETO_TARGET else "MISSED",
                )
            )
    for share in (100, 20):
        rate = open_rate(args.events, share)
        rows.append(
            (
                f"open reviews, {share} % of {args.events:,} events",
                f"{rate:,.0f}/s",
                "",
                f">= {OPEN_TARGET:,}/s",
                "ok" if rate >= OPEN_TARGET else "MISSED",
            )
        )
    print_table(f"{name}, improvement, {args.reviews:,} reviews a quarter", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
