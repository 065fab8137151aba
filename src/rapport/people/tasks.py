"""People work run by the worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def training_sweep() -> dict[str, int]:
    """Onboarding of new members, must-read tasks, recertification and reminders."""
    from rapport.people.actions import training

    return training.sweep()
