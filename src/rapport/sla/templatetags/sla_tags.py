"""Template helpers for SLA badges and clock panels."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django import template

from rapport.sla.queries import ClockView

register = template.Library()


@register.filter
def business_duration(minutes: float | None) -> str:
    """45m, 3h 20m, 41h: business time, so no days (a business day is not 24 hours)."""
    if minutes is None:
        return ""
    total = round(abs(minutes))
    hours, mins = divmod(total, 60)
    if not hours:
        return f"{mins}m"
    if hours >= 10 or not mins:
        return f"{hours}h"
    return f"{hours}h {mins}m"


@register.filter
def in_calendar_zone(moment: datetime | None, view: ClockView) -> str:
    """A due time as the calendar's own wall clock reads it."""
    if moment is None:
        return ""
    tz = zoneinfo.ZoneInfo(view.clock.agreement.calendar.time_zone)
    return moment.astimezone(tz).strftime("%a %d %b %H:%M %Z")


@register.inclusion_tag("sla/_badge.html")
def sla_badge(badges: Mapping[int, ClockView], ticket: Any) -> dict[str, Any]:
    """`{% sla_badge badges ticket %}` with `badges` from `rapport.sla.queries.badges`."""
    return {"view": badges.get(ticket.pk)}
