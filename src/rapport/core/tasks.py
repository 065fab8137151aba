"""Periodic housekeeping run by the worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rapport.core import actions


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    actions.beat("worker")


@db_task()
def ping() -> None:
    """Queued by `rapport serve` at start, so /healthz turns green without waiting a minute."""
    actions.beat("worker")
