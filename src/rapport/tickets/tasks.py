"""The reaction worker: drains the event log for every subscriber (see reactor)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rapport.tickets import reactor


@db_task()
def drain_reactions() -> int:
    """Kicked after each commit that appended events (debounced, see tickets.events)."""
    return reactor.drain()


@db_periodic_task(crontab(minute="*"))
def drain_reactions_periodic() -> int:
    """The safety net: retries whose time has come, and kicks lost with a restart."""
    return reactor.drain()


def kick(delay: float) -> None:
    if delay > 0:
        drain_reactions.schedule(delay=delay)
    else:
        drain_reactions()
