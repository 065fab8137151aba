"""Django's SQLite backend, with background processes yielding the write lock.

SQLite has one writer at a time and no queue: a connection that finds the write
lock taken sleeps in its busy handler (1, 2, 5 … up to 100 ms between tries) and
gives up with "database is locked" when busy_timeout runs out. Every transaction
here takes the write lock at BEGIN (transaction_mode IMMEDIATE).

What stalled web writes after the worker was killed: the worker that `rapport
serve` starts again catches up with the backlog (the outbox of every ticket made
while it was down, reactions, the sweeper) in loops of short write transactions,
back to back, in two threads. It held the lock nearly all of the next 40 s —
each commit followed by the next BEGIN within microseconds — so a web request's
busy handler, waking every 100 ms, almost never found it free and failed after
10 s (seen with /proc/locks: the restarted worker's pid on the WAL write lock,
sampled 190 times in 40 s, against 18 for each web process). Not a long
transaction, not a checkpoint: starvation.

So a process that works in the background (the worker marks itself with
`yield_write_lock()`) leaves the lock free after each commit for as long as it
held it (at most MAX_PAUSE): its share of the write lock is at most half while it
is busy, web requests get their turn within a poll or two, and a lone worker
loses nothing measurable on ordinary tasks (a few ms per transaction only when
it is saturated).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

MAX_PAUSE = 0.05  # seconds: longer holds are rare, and waiters poll every 100 ms
_background = threading.Event()
# The pause is the process's, not the thread's: with two worker threads, one thread's
# pause after its commit was the other's chance to begin, so the lock was rarely free.
# Every background transaction waits for the end of the last pause before it begins.
_free_until = [0.0]
_guard = threading.Lock()


def yield_write_lock() -> None:
    """Mark this process as background work: it yields the write lock after commits."""
    _background.set()


def _wait_turn() -> None:
    while True:
        with _guard:
            wait = _free_until[0] - time.monotonic()
        if wait <= 0:
            return
        time.sleep(wait)


def _pause_after(began: float | None) -> None:
    if began is None or not _background.is_set():
        return
    now = time.monotonic()
    with _guard:
        _free_until[0] = max(_free_until[0], now + min(MAX_PAUSE, max(0.001, now - began)))


class DatabaseWrapper(base.DatabaseWrapper):
    _began_at: float | None = None

    def set_autocommit(self, autocommit: bool, *args: Any, **kwargs: Any) -> None:
        if not autocommit:  # a transaction (and, with IMMEDIATE, the write lock) begins
            if _background.is_set():
                _wait_turn()
            self._began_at = time.monotonic()
        super().set_autocommit(autocommit, *args, **kwargs)

    def commit(self) -> None:
        began, self._began_at = self._began_at, None
        super().commit()
        _pause_after(began)

    def rollback(self) -> None:
        began, self._began_at = self._began_at, None
        super().rollback()
        _pause_after(began)
