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


def yield_write_lock() -> None:
    """Mark this process as background work: it yields the write lock after commits."""
    _background.set()


class DatabaseWrapper(base.DatabaseWrapper):
    _began_at: float | None = None

    def set_autocommit(self, autocommit: bool, *args: Any, **kwargs: Any) -> None:
        if not autocommit:  # a transaction (and, with IMMEDIATE, the write lock) begins
            self._began_at = time.monotonic()
        super().set_autocommit(autocommit, *args, **kwargs)

    def commit(self) -> None:
        began, self._began_at = self._began_at, None
        super().commit()
        if began is not None and _background.is_set():
            time.sleep(min(MAX_PAUSE, max(0.001, time.monotonic() - began)))

    def rollback(self) -> None:
        began, self._began_at = self._began_at, None
        super().rollback()
        if began is not None and _background.is_set():
            time.sleep(min(MAX_PAUSE, max(0.001, time.monotonic() - began)))
