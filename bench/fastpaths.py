"""What each fast path of rapport.core.fast earns: its workloads timed with all fast
paths on, with that one off, and with all off, interleaved round by round in one
process, so a machine whose load drifts (a shared CI box) weighs on every variant alike.

    RAPPORT_DATA_DIR=var/bench python bench/fastpaths.py --tickets 20000

A fast path that gains less than 10 % on its own workload is to be deleted
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import start

VARIANTS = ("on", "prepared", "rows", "reference", "off")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000, help="data set size")
    parser.add_argument("--rounds", type=int, default=8, help="rounds over every variant")
    parser.add_argument("--requests", type=int, default=15, help="timed requests per round")
    parser.add_argument("--force", action="store_true", help="recreate a non-bench database")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start(force=args.force)
    from django.test import override_settings

    from bench import loaders, workloads
    from bench.dataset import build_directory
    from bench.suite import engine, seed

    directory = build_directory()
    seed(directory, argparse.Namespace(batch=5_000, workers=os.cpu_count() or 2),
         total=args.tickets, seed=1234)  # fmt: skip
    long_ticket = workloads.long_thread(directory)
    loaders.analyze()
    reads = {w.name: w for w in workloads.reads(directory, seed=1, long_ticket=long_ticket)}
    post = workloads.poster(directory)
    counter = iter(range(10**9))
    checks: dict[str, Callable[[], None]] = {
        "desk ticket page": lambda: _get(reads["desk ticket page, random, admin"], next(counter)),
        "desk queue page": lambda: _get(reads["desk queue 'all open in my teams', agent"], 0),
        "ticket detail (API)": lambda: _get(reads["ticket detail, random, admin"], next(counter)),
        "create via API": lambda: post(next(counter)),
    }
    samples: dict[tuple[str, str], list[float]] = {}
    shape = f"{args.rounds} rounds x {args.requests}"
    print(f"{engine()}, {args.tickets:,} tickets: {shape}", flush=True)
    for round_number in range(args.rounds):
        for variant in VARIANTS:
            switch = (
                {"RAPPORT_FAST_PATHS": variant != "off", "RAPPORT_FAST_PATHS_OFF": frozenset()}
                if variant in ("on", "off")
                else {"RAPPORT_FAST_PATHS": True, "RAPPORT_FAST_PATHS_OFF": frozenset({variant})}
            )
            with override_settings(**switch):
                for name, run in checks.items():
                    run()  # one untimed: the first after a switch compiles or loads
                    for _ in range(args.requests):
                        began = time.perf_counter()
                        run()
                        samples.setdefault((name, variant), []).append(time.perf_counter() - began)
        print(f"round {round_number + 1} of {args.rounds}", flush=True)
    print()
    print("median ms (gain of the fast path: its variant off vs all on)")
    print("workload".ljust(22) + "".join(v.rjust(16) for v in VARIANTS))
    for name in checks:
        on = statistics.median(samples[(name, "on")])
        cells = []
        for variant in VARIANTS:
            value = statistics.median(samples[(name, variant)])
            gain = "" if variant == "on" else f" ({(value - on) / value:+.0%})"
            cells.append(f"{value * 1e3:.2f}{gain}".rjust(16))
        print(name.ljust(22) + "".join(cells))
    return 0


def _get(workload: object, i: int) -> None:
    from bench.workloads import Workload, _check

    assert isinstance(workload, Workload)
    path = workload.path(i)
    _check(workload.client.get(path), path)


if __name__ == "__main__":
    sys.exit(main())
