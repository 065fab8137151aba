"""Seeding in parallel: worker processes generate and prepare batches, one process
writes them.

Generating rows in Python costs about as much as inserting them, so the two
run side by side. The writer is a child process too: the batches in flight and
a large page cache then stay out of the bench process, whose peak memory is
reported as that of a process serving requests.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.pool import AsyncResult, Pool
from multiprocessing.util import Finalize

from django.db import connections
from tqdm import tqdm

from bench import loaders
from bench.dataset import Plan, generate

# fork: workers inherit the set-up Django and the plan instead of starting afresh.
CONTEXT = multiprocessing.get_context("fork")
# Where batches prepared as files wait for the writer: memory, where there is such a
# folder (a private one is made in it for each seeding).
SPOOL_PARENT = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def seed(plan: Plan, *, workers: int) -> float:
    """Load the plan's tickets into the database; returns the seconds it took."""
    connections.close_all()  # a forked child must not share this process's connection
    receive, send = CONTEXT.Pipe(duplex=False)
    writer = CONTEXT.Process(target=_write, args=(plan, workers, send), name="bench-writer")
    writer.start()
    send.close()
    try:
        seconds: float = receive.recv()
    except EOFError:
        seconds = -1.0
    writer.join()
    if writer.exitcode != 0 or seconds < 0:
        raise RuntimeError(f"Seeding failed (writer exit code {writer.exitcode}).")
    return seconds


def _write(plan: Plan, workers: int, send: Connection) -> None:
    began = time.perf_counter()
    spool = tempfile.mkdtemp(prefix="rapport-seed-", dir=SPOOL_PARENT)
    # The pool forks before this process opens its connection, so no worker holds it.
    pool = CONTEXT.Pool(workers, initializer=_start_worker) if workers else None
    try:
        loader = loaders.loader()
        with tqdm(total=plan.total, unit=" tickets", unit_scale=True, desc="seeding") as bar:
            for batch in _batches(plan, pool, spool, window=2 * workers):
                loader.load(batch)
                bar.update(batch.tickets)
        if pool is not None:  # let the workers leave cleanly, closing their connections
            pool.close()
            pool.join()
        loaded = time.perf_counter()
        loader.finish()
        print(f"loaded in {loaded - began:.1f} s, indexes built in"
              f" {time.perf_counter() - loaded:.1f} s", flush=True)  # fmt: skip
    finally:
        if pool is not None:
            pool.terminate()
        shutil.rmtree(spool, ignore_errors=True)
    send.send(time.perf_counter() - began)


def _start_worker() -> None:
    # A worker may open a connection (to encode COPY data); pool workers leave
    # through multiprocessing's exit hooks, not atexit, so close it in one.
    Finalize(None, connections.close_all, exitpriority=0)


def _prepare(plan: Plan, index: int, spool: str) -> loaders.Batch:
    return loaders.prepare(generate(plan, index), spool)


def _batches(plan: Plan, pool: Pool | None, spool: str, *, window: int) -> Iterator[loaders.Batch]:
    """The plan's batches in order, at most `window` prepared ahead of the writer."""
    if pool is None:
        for index in range(plan.batches):
            yield _prepare(plan, index, spool)
        return
    pending: deque[AsyncResult[loaders.Batch]] = deque()
    for index in range(plan.batches):
        pending.append(pool.apply_async(_prepare, (plan, index, spool)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
