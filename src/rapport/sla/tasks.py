"""The SLA sweeper, every minute (Huey runs exactly one scheduler), and recomputations."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rapport.sla import actions, sweeper

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def sweep_clocks() -> None:
    result = sweeper.sweep()
    if result.clocks:
        log.info(
            "sla sweep: %s clocks, %s warnings, %s breaches",
            result.clocks, result.warnings, result.breaches,
        )  # fmt: skip


@db_task()
def recompute_agreement(agreement_id: int) -> None:
    """An agreement's targets, pauses, thresholds or calendar changed: follow on its tickets."""
    actions.recompute_agreement(agreement_id)
