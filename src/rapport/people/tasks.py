"""Scheduled work of the people app: training (onboarding of new members, must-read
tasks, recertification and reminders), the weekly review sample (Monday, for the
week just ended), coaching follow-up reminders and pulse rounds whose cadence has come."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.core import clock
from rapport.people.actions import pulse, quality, sampling, training


@db_periodic_task(crontab(minute="*/5"))
def training_sweep() -> dict[str, int]:
    return training.sweep()


@db_periodic_task(crontab(day_of_week="1", hour="5", minute="30"))
def weekly_review_sample() -> int:
    return sampling.draw_weekly_sample(clock.now().date() - timedelta(days=7))


@db_periodic_task(crontab(hour="7", minute="0"))
def coaching_follow_ups() -> int:
    return quality.send_follow_up_reminders(clock.now().date())


@db_periodic_task(crontab(hour="8", minute="0"))
def pulse_rounds() -> int:
    return pulse.open_due_rounds(clock.now())
