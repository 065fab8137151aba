"""Test helpers for reactions: run what the worker would, now, in the test's transaction."""

from __future__ import annotations

from datetime import timedelta

from rapport.tickets import reactor


def drain_reactions() -> int:
    """Drain every subscriber as the worker does; holes in the ids are not waited on
    (a test's rolled-back savepoints leave them on PostgreSQL). The events read."""
    return reactor.drain(gap_grace=timedelta(0))
