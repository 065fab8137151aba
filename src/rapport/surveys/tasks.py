"""Survey work run by the worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def send_due_surveys() -> int:
    """Mail the surveys whose delay after the solve has passed."""
    from rapport.surveys import actions

    return actions.send_due()
