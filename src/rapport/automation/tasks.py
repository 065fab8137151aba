"""The time-based sweep and webhook delivery, every minute (Huey runs one scheduler;
both claim their rows, so any number of workers may run them)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.automation.actions import rules, webhooks

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def sweep_automations() -> None:
    acted = rules.sweep()
    if any(acted.values()):
        log.info("automations: %s", acted)


@db_periodic_task(crontab(minute="*"))
def deliver_webhooks() -> None:
    while webhooks.deliver_due():
        pass
