"""Scheduled scorecards: weekly digests on Monday morning, monthly on the 1st."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(day_of_week="1", hour="6", minute="0"))
def weekly_digests() -> int:
    from rapport.scorecards.digests import send_digests

    return send_digests("week")


@db_periodic_task(crontab(day="1", hour="6", minute="5"))
def monthly_digests() -> int:
    from rapport.scorecards.digests import send_digests

    return send_digests("month")


@db_periodic_task(crontab(hour="0", minute="10"))
def nightly_rollups() -> int:
    """Yesterday's (and the recent days') figures and this midnight's backlog."""
    from rapport.scorecards.rollups import nightly

    return nightly()
