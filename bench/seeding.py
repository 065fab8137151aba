"""Seeding in parallel: worker processes generate batches, one process writes them.

Generating rows in Python costs about as much as inserting them, so the two
run side by side. The writer is a child process too: the batches in flight and
a large page cache then stay out of the bench process, whose peak memory is
reported as that of a process serving requests.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.pool import AsyncResult, Pool

from django.db import connections
from tqdm import tqdm

from bench import loaders
from bench.dataset import Plan, Rows, generate

# fork: workers inherit the set-up Django and the plan instead of starting afresh.
CONTEXT = multiprocessing.get_context("fork")


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
    # The pool forks before this process opens its connection, so no worker holds it.
    pool = CONTEXT.Pool(workers) if workers else None
    try:
        loader = loaders.loader()
        with tqdm(total=plan.total, unit=" tickets", unit_scale=True, desc="seeding") as bar:
            for rows in _batches(plan, pool, window=2 * workers):
                loader.load(rows)
                bar.update(rows.tickets)
        loader.finish()
    finally:
        if pool is not None:
            pool.terminate()
    send.send(time.perf_counter() - began)


def _batches(plan: Plan, pool: Pool | None, *, window: int) -> Iterator[Rows]:
    """The plan's batches in order, at most `window` generated ahead of the writer."""
    if pool is None:
        for index in range(plan.batches):
            yield generate(plan, index)
        return
    pending: deque[AsyncResult[Rows]] = deque()
    for index in range(plan.batches):
        pending.append(pool.apply_async(generate, (plan, index)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
