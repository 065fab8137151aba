"""Periodic work: forecasts every five minutes, risk scores once a day (Huey runs
exactly one scheduler)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.proactive import actions

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def forecast_clocks() -> None:
    count = actions.refresh_forecasts()
    log.info("breach forecast: %s live clocks", count)


@db_periodic_task(crontab(minute="20", hour="5"))
def score_clients() -> None:
    assessments = actions.snapshot_risks()
    log.info(
        "at-risk: %s clients, %s at risk",
        len(assessments),
        sum(1 for a in assessments if a.at_risk),
    )
