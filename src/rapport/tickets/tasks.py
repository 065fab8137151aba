"""The reaction worker: drains the event log for every subscriber (see reactor)."""

from __future__ import annotations

import threading

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rapport.tickets import reactor

LINGER = 2.0  # seconds a drain keeps following the log after its last event
_draining = threading.Lock()


@db_task()
def drain_reactions() -> int:
    """Kicked after each commit that appended events (debounced, see tickets.events).

    One drain per worker process follows the log while events keep coming (see
    `reactor.drain(linger=…)`); a kick that finds it running leaves the work to it.
    """
    read = 0
    while _draining.acquire(blocking=False):
        try:
            read += reactor.drain(linger=LINGER)
        finally:
            _draining.release()
        # An event committed as the drain stopped lingering found the lock taken.
        if not reactor.news():
            break
    return read


@db_periodic_task(crontab(minute="*"))
def drain_reactions_periodic() -> int:
    """The safety net: retries whose time has come, and kicks lost with a restart."""
    return reactor.drain()


def kick(delay: float) -> None:
    if delay > 0:
        drain_reactions.schedule(delay=delay)
    else:
        drain_reactions()
