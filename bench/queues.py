"""`make bench-queue`: a real worker's throughput on the queue the settings choose.

    RAPPORT_DATA_DIR=var/bench-queue python bench/queues.py               # SQLite queue
    REDIS_URL=redis://127.0.0.1:6379/5 RAPPORT_DATA_DIR=… python bench/queues.py  # Redis

One warm `rapport worker` process (its default threads) is given the tasks
and timed until it has done them: a trivial task (`ping`: one
heartbeat row) and the mail batch (`process_inbound_batch`, messages stored as
the SMTP listener stores them, 25 to a task as the listener groups them).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2_000, help="trivial tasks")
    parser.add_argument("--messages", type=int, default=1_000, help="mail messages")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def drained(queue: object, until: float) -> bool:
    while queue.pending_count() > 0:  # type: ignore[attr-defined]
        if time.monotonic() > until:
            return False
        time.sleep(0.05)
    return True


@contextmanager
def running_worker(queue: object) -> Iterator[None]:
    """A `rapport worker` process, warm: it has taken a first task (so Django's start-up
    is not counted in the rates)."""
    from django.conf import settings

    from rapport.core.models import Heartbeat
    from rapport.core.tasks import ping

    Heartbeat.objects.all().delete()
    env = dict(os.environ, RAPPORT_MAIL_NOTIFY="0")
    log = (Path(settings.DATA_DIR) / "worker.log").open("a")
    worker = subprocess.Popen([sys.executable, "-m", "rapport.cli", "worker", "--no-periodic"],
                              env=env, cwd=ROOT, stdout=log, stderr=log)  # fmt: skip
    try:
        ping()
        while not Heartbeat.objects.exists():
            time.sleep(0.05)
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def timed(queue: object, what: str, count: int, unit: str, enqueue: Callable[[], None],
          done: Callable[[], bool]) -> str:  # fmt: skip
    """Queue the work for a warm worker; the rate from the first task queued to the last done."""
    with running_worker(queue):
        began = time.perf_counter()
        enqueue()
        drained(queue, time.monotonic() + 600)
        while not done():
            time.sleep(0.02)  # the last tasks in flight
        seconds = time.perf_counter() - began
    return f"{what}: {count:,} {unit} in {seconds:.1f} s = {count / seconds:,.0f} {unit}/s"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench import run

    run.start(force=args.force)
    from django.conf import settings
    from django.db import connection
    from huey.contrib.djhuey import HUEY

    from bench.dataset import build_directory
    from rapport.core.tasks import ping
    from rapport.mail import pipeline
    from rapport.mail.models import InboundMessage, InboundState
    from rapport.mail.tasks import process_inbound_batch
    from rapport.mail.testing import build, support_mailbox

    backend = "Redis" if settings.REDIS_URL else "SQLite"
    HUEY.flush()
    directory = build_directory()
    mailbox = support_mailbox(directory.world)
    lines = [f"queue: {backend}; database: {connection.vendor}; worker threads: "
             f"{settings.HUEY['consumer']['workers']}"]  # type: ignore[index]  # fmt: skip
    print(lines[0], flush=True)

    def pings() -> None:
        for _ in range(args.tasks):
            ping()

    lines.append(timed(HUEY, "trivial task (ping: one heartbeat row)", args.tasks, "tasks",
                       pings, lambda: True))  # fmt: skip
    print(lines[-1], flush=True)
    raws = [build(subject=f"Queue bench {n}", text=f"Message {n}: the printer jams.")
            for n in range(args.messages)]  # fmt: skip
    ids = [pipeline.receive(raw, transport="file", mailbox=mailbox, enqueue=False).pk
           for raw in raws]  # fmt: skip

    def batches() -> None:
        for start in range(0, len(ids), pipeline.BATCH):
            process_inbound_batch(ids[start : start + pipeline.BATCH])

    def mail_done() -> bool:
        return not InboundMessage.objects.filter(state=InboundState.RECEIVED).exists()

    lines.append(timed(HUEY, "mail batches", args.messages, "messages", batches, mail_done))
    print(lines[-1], flush=True)
    tasks = -(-args.messages // pipeline.BATCH)
    print(f"({tasks} batch tasks of {pipeline.BATCH}; load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
