"""Improvement work run by the worker: effectiveness checks and watermelon reviews."""

from __future__ import annotations

from datetime import UTC, datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.core import clock
from rapport.improvement import actions


@db_periodic_task(crontab(minute="7"))
def check_effectiveness() -> int:
    """Every hour: the actions whose check date has come (claimed row by row)."""
    return actions.run_due_checks()


def last_month(now: datetime) -> tuple[datetime, datetime]:
    until = datetime(now.year, now.month, 1, tzinfo=UTC)
    since = datetime(until.year - (until.month == 1), (until.month - 2) % 12 + 1, 1, tzinfo=UTC)
    return since, until


@db_periodic_task(crontab(minute="17", hour="2"))
def review_watermelons() -> int:
    """Every night: the watermelon providers of the last whole month (once each)."""
    since, until = last_month(clock.now())
    return len(actions.flag_watermelons(since, until))
