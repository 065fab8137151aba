"""Ticket creation through the API alone, for working on its cost: CPU per create.

    RAPPORT_DATA_DIR=var/bench-creates python bench/creates.py               # SQLite
    DATABASE_URL=postgres://…/rapport_bench python bench/creates.py          # PostgreSQL
    … bench/creates.py --profile 40                                          # and where

Seeds a small data set (the full benchmark's directory and --tickets tickets), then
times --creates POST /api/v1/tickets by a customer contact, as `make bench` does, and
prints the statements of one create and the CPU time (process time, which the load of
other processes on the machine disturbs less than wall-clock time) per create. As
`bench/run.py`, it deletes and recreates the configured database, which must be a
bench database.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2_000, help="tickets seeded first")
    parser.add_argument("--creates", type=int, default=1_000, help="tickets created via API")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the creates and print the N costliest functions")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="as bench/run.py --force")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import loaders, seeding, workloads
    from bench.dataset import Plan, build_directory

    directory = build_directory()
    plan = Plan(
        cast=directory.cast, total=args.tickets, first_ticket=loaders.first_ticket_id(),
        now=timezone.now(), seed=1, batch=5_000,
        text_stamps=connection.vendor != "postgresql",
    )  # fmt: skip
    seeding.seed(plan, workers=0)
    loaders.analyze()
    post = workloads.poster(directory)

    for i in range(1, workloads.WARMUP + 1):
        post(-i)
    with CaptureQueriesContext(connection) as captured:
        post(0)
    print(f"{connection.vendor}: {len(captured)} statements per create")
    for query in captured.captured_queries:
        print("  ", query["sql"][:160])
    profile = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    for i in range(1, args.creates + 1):
        post(i)
    if profile:
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{args.creates:,} creates: {cpu * 1e3 / args.creates:.3f} ms CPU each "
          f"({args.creates / cpu:,.0f}/s of CPU), {wall * 1e3 / args.creates:.3f} ms wall"
          f"{' (profiled)' if profile else ''}")  # fmt: skip
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
