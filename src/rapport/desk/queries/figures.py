"""The rules behind the dashboard's figures, shared by the dashboard (which counts)
and the queue filters (which list the tickets counted)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from rapport.sla.models import ClockState

# A running clock due within this long is a near-breach: soon enough that a lead
# moves someone onto it today.
NEAR = timedelta(hours=2)


def periods(now: datetime) -> dict[str, datetime]:
    """Where today, this week (from Monday) and the last 30 days start, in the
    viewer's time zone (the one the page shows dates in)."""
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "today": today,
        "week": today - timedelta(days=today.weekday()),
        "month": local - timedelta(days=30),
    }


def breached_clock(now: datetime) -> Q:
    """A clock breached by the attainment rule: recorded, or running past its due time."""
    return Q(breached_at__isnull=False) | Q(state=ClockState.RUNNING, due_at__lt=now)


def near_clock(now: datetime) -> Q:
    return Q(state=ClockState.RUNNING, breached_at__isnull=True, due_at__gte=now,
             due_at__lt=now + NEAR)  # fmt: skip
