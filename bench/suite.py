"""The benchmark once Django is set up: migrate, seed, measure, report."""

from __future__ import annotations

import argparse
import resource
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench import loaders, seeding, workloads
from bench.dataset import Directory, Plan, build_directory
from rapport.core import fast

# Query counts are taken at this many tickets and again at full size: equal
# counts show that no read does a query per row.
SMALL = 1_000
SEED_TARGET = 20_000  # tickets/s
CREATE_TARGET = 500  # tickets/s
DETAIL_P95 = 15.0  # ms
SEARCH_P95 = 50.0  # ms
MEMORY_TARGET = 150  # MiB


def list_p95_target(tickets: int) -> float:
    """DESIGN.md: a queue page in 25 ms at 100,000 tickets, in 50 ms at a million."""
    return 25.0 if tickets <= 100_000 else 50.0


@dataclass(frozen=True)
class Line:
    """One row of the report; empty strings where a column does not apply."""

    workload: str
    median: str = ""
    p95: str = ""
    rate: str = ""
    sql: str = ""
    target: str = ""
    ok: bool = True


def run(args: argparse.Namespace) -> None:
    began = time.perf_counter()
    override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],  # the test client's host
        # No password is checked here, and Argon2 at Django's default cost allocates
        # 100 MiB per hash, which would swamp the peak memory of serving requests.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Benchmark on {engine()}: {args.tickets:,} tickets, {fast_paths()}", flush=True)
    directory = build_directory()
    seed_line, small_counts, long_ticket = seed_and_count(directory, args)
    lines = [seed_line]
    for workload in workloads.reads(
        directory, seed=args.seed, long_ticket=long_ticket, only=args.only
    ):
        print(f"timing {workload.name}", flush=True)
        lines.append(measure(workload, args, small_counts[workload.name]))
    if args.only == "all":
        print(f"timing {args.creates:,} creates", flush=True)
        lines.append(create_line(directory, args.creates))
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    lines.append(
        Line("peak memory (ru_maxrss)", median=f"{memory:.0f} MiB",
             target=f"<= {MEMORY_TARGET} MiB", ok=memory <= MEMORY_TARGET)
    )  # fmt: skip
    report(lines, args.tickets)
    print(f"(the whole run took {time.perf_counter() - began:.0f} s)")


def seed_and_count(
    directory: Directory, args: argparse.Namespace
) -> tuple[Line, dict[str, int], int]:
    """Seed SMALL tickets and the long thread, count each read's queries, then seed
    the rest: each page is counted at both sizes on the same kind of ticket (an
    open ticket's page asks one more thing than a solved one's: whom to hand to)."""
    small = min(SMALL, args.tickets)
    seconds = seed(directory, args, total=small, seed=args.seed)
    long_ticket = workloads.long_thread(directory)
    loaders.analyze()
    reads = workloads.reads(directory, seed=1, long_ticket=long_ticket, only=args.only)
    counts = {w.name: workloads.query_count(w) for w in reads}
    if args.tickets > small:
        seconds += seed(directory, args, total=args.tickets - small, seed=args.seed + 1)
    rate = args.tickets / seconds
    print(f"seeded {args.tickets:,} tickets in {seconds:.1f} s: {rate:,.0f} tickets/s", flush=True)
    began = time.perf_counter()
    loaders.analyze()
    print(f"analyzed in {time.perf_counter() - began:.1f} s", flush=True)
    line = Line("seed the data set", rate=f"{rate:,.0f}/s", target=f">= {SEED_TARGET:,}/s",
                ok=rate >= SEED_TARGET)  # fmt: skip
    return line, counts, long_ticket


def seed(directory: Directory, args: argparse.Namespace, *, total: int, seed: int) -> float:
    """Generate and bulk-load `total` more tickets; returns the seconds it took."""
    plan = Plan(
        cast=directory.cast,
        total=total,
        first_ticket=loaders.first_ticket_id(),
        now=timezone.now(),
        seed=seed,
        batch=args.batch,
        text_stamps=connection.vendor != "postgresql",
    )
    return seeding.seed(plan, workers=args.workers)


def fast_paths() -> str:
    """Which fast paths this run has (RAPPORT_FAST_PATHS=0, RAPPORT_FAST_PATHS_OFF=name,...)."""
    off = [name for name in fast.PATHS if not fast.enabled(name)]
    if not off:
        return "fast paths on"
    return "fast paths off" if len(off) == len(fast.PATHS) else f"fast paths off: {', '.join(off)}"


def engine() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # type: ignore[attr-defined]
        return f"PostgreSQL {version // 10_000}.{version % 10_000}"
    return f"SQLite {sqlite3.sqlite_version}"


def measure(workload: workloads.Workload, args: argparse.Namespace, small_count: int) -> Line:
    timing = workloads.run(workload, args.requests)
    count = workloads.query_count(workload)
    target = {"list": list_p95_target(args.tickets), "search": SEARCH_P95,
              "detail": DETAIL_P95}[workload.kind]  # fmt: skip
    constant = count == small_count
    return Line(
        workload.name,
        median=f"{timing.median_ms:.1f} ms",
        p95=f"{timing.p95_ms:.1f} ms",
        sql=f"{small_count} -> {count}" + ("" if constant else " NOT CONSTANT"),
        target=f"p95 <= {target:.0f} ms",
        ok=timing.p95_ms <= target and constant,
    )


def create_line(directory: Directory, count: int) -> Line:
    result = workloads.creates(directory, count)
    rate = result.timing.per_second
    return Line(
        f"create via API ({count:,})",
        median=f"{result.timing.median_ms:.1f} ms",
        p95=f"{result.timing.p95_ms:.1f} ms",
        rate=f"{rate:,.0f}/s",
        sql=str(result.queries),
        target=f">= {CREATE_TARGET}/s",
        ok=rate >= CREATE_TARGET,
    )


def print_table(title: str, rows: Sequence[Sequence[str]]) -> None:
    """A results table, columns padded to fit; the first row is the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    print(title)
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def report(lines: list[Line], tickets: int) -> None:
    sizes = f"{min(SMALL, tickets):,} -> {tickets:,}"
    header = ("workload", "median", "p95", "rate", f"SQL/request ({sizes})",
              "target", "")  # fmt: skip
    rows = [header] + [
        (line.workload, line.median, line.p95, line.rate, line.sql, line.target,
         "ok" if line.ok else "MISSED")
        for line in lines
    ]  # fmt: skip
    print_table(f"{engine()}, {tickets:,} tickets (3 messages each)", rows)
    missed = [line.workload for line in lines if not line.ok]
    print()
    print(f"MISSED: {', '.join(missed)}" if missed else "All targets met.")
