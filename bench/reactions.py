"""`make bench-reactions`: the lag of reactions under a steady stream of events, SQLite.

    RAPPORT_DATA_DIR=var/bench-reactions python bench/reactions.py --rate 1000 --seconds 60

Builds a small world (through the actions), starts a real worker (`rapport worker`,
Huey's consumer, in its own process), then appends --rate events a second for
--seconds, --per-commit events per transaction, through `rapport.tickets.events`
as every action does (so each commit kicks the worker). The events are of kinds the
installed reactions take (status changes that finish nothing, replies without a
message, tags), so every handler runs its real code and finds nothing to do: what is
measured is the machinery. The lag of a commit is from its commit to the moment
every subscriber's cursor has passed its last event (the handlers ran and their
cursors committed); p50 and p95 over all commits are printed. Target: p95 ≤ 2 s.

As `bench/run.py`, it deletes and recreates the configured database, which must be a
bench database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

P95_TARGET = 2.0  # seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=1_000, help="events per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to append")
    parser.add_argument("--per-commit", type=int, default=10, help="events per transaction")
    parser.add_argument("--tickets", type=int, default=200, help="tickets the events are of")
    parser.add_argument("--force", action="store_true", help="as bench/run.py --force")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import start

    start(force=args.force)
    from django.conf import settings
    from django.db import connection

    from rapport.mail import outbound
    from rapport.testing import build_world
    from rapport.tickets import reactor
    from rapport.tickets.testing import drain_reactions

    if connection.vendor != "sqlite":
        sys.exit("The reaction lag is measured on SQLite (its target is set there).")
    with outbound.muted():  # the world's made-up people get no mail
        world = build_world()
        tickets = [world.ticket("contact", subject=f"Bench {i}") for i in range(args.tickets)]
    drain_reactions()  # start with every cursor at the end of the log
    names = sorted(reactor.subscribers())
    print(f"reactions: {', '.join(names)}")

    env = {**os.environ, "RAPPORT_DATA_DIR": str(settings.DATA_DIR)}
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_worker(worker)
        lags = _run(args, tickets, names)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    _report(args, lags)
    return 0  # a benchmark, not a test: a missed target is reported, not failed


def _wait_for_worker(worker: subprocess.Popen[bytes]) -> None:
    """Until the worker has run a task: its start-up is not reaction lag."""
    from rapport.core.models import Heartbeat
    from rapport.core.tasks import ping

    Heartbeat.objects.filter(name="worker").delete()
    ping()
    deadline = time.monotonic() + 120
    while not Heartbeat.objects.filter(name="worker").exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit("The worker did not start.")
        time.sleep(0.1)


def _run(args: argparse.Namespace, tickets: list[Any], names: list[str]) -> list[float]:
    """Append at the rate asked; the lag of each commit, in seconds."""
    from django.db import transaction
    from django.db.models import Min

    from rapport.tickets import events
    from rapport.tickets.models import ReactionCursor

    kinds = [
        ("status", {"old_category": "open", "new_category": "pending_client",
                    "done": False, "solved": False}),
        ("reply", {"side": "provider"}),  # no message: the mail reaction passes it by
        ("tagged", {}),
        ("priority", {}),
    ]  # fmt: skip
    commits = max(1, int(args.rate * args.seconds / args.per_commit))
    interval = args.per_commit / args.rate
    pending: list[tuple[int, float]] = []  # (last event id of a commit, commit time)
    lags: list[float] = []
    by_second: dict[int, float] = {}  # the worst lag of the commits of each second

    def settle() -> None:
        done = ReactionCursor.objects.filter(subscriber__in=names).aggregate(p=Min("position"))
        position = done["p"] or 0
        now = time.monotonic()
        while pending and pending[0][0] <= position:
            committed = pending.pop(0)[1]
            lags.append(now - committed)
            second = int(committed - begin)
            by_second[second] = max(by_second.get(second, 0.0), now - committed)

    begin = time.monotonic()
    n = 0
    for i in range(commits):
        due = begin + i * interval
        while (wait := due - time.monotonic()) > 0:
            settle()
            time.sleep(min(wait, 0.01))
        batch: list[Any] = []
        for _ in range(args.per_commit):
            kind, data = kinds[n % len(kinds)]
            ticket = tickets[n % len(tickets)]
            batch.append(events.build(ticket, None, kind, new=f"bench {n}", **data))
            n += 1
        with transaction.atomic():
            events.append_many(batch)
        pending.append((max(e.pk for e in batch), time.monotonic()))
        if i % 50 == 0:
            settle()
    appended_for = time.monotonic() - begin
    print(f"appended {n} events in {appended_for:.1f} s ({n / appended_for:,.0f}/s)")
    deadline = time.monotonic() + 120
    while pending and time.monotonic() < deadline:
        settle()
        time.sleep(0.01)
    if pending:
        print(f"{len(pending)} commits still not reacted to after 120 s")
    worst = " ".join(f"{by_second[k] * 1000:,.0f}" for k in sorted(by_second))
    print(f"worst lag of each second's commits (ms): {worst}")
    return lags


def _report(args: argparse.Namespace, lags: list[float]) -> None:
    if not lags:
        print("reaction lag: nothing measured")
        return
    lags.sort()
    p50 = statistics.median(lags)
    p95 = lags[min(len(lags) - 1, int(len(lags) * 0.95))]
    verdict = "met" if p95 <= P95_TARGET else "MISSED"
    print(
        f"reaction lag at {args.rate:,} events/s for {args.seconds:g} s "
        f"({args.per_commit} per commit): p50 {p50 * 1000:,.0f} ms, "
        f"p95 {p95 * 1000:,.0f} ms, max {lags[-1] * 1000:,.0f} ms "
        f"(target p95 ≤ {P95_TARGET:g} s: {verdict})"
    )


if __name__ == "__main__":
    sys.exit(main())
