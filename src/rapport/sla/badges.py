"""The SLA badge of one ticket as HTML: one source for the desk's queue rows and templates.

Built in Python rather than a template because a queue page draws one per row
and the desk renders its rows in Python for speed (see `desk.rows`); every
value is escaped here.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe

from rapport.sla.models import ClockState
from rapport.sla.queries import ClockView


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


def in_calendar_zone(moment: datetime | None, view: ClockView) -> str:
    """A due time as the calendar's own wall clock reads it."""
    if moment is None:
        return ""
    tz = zoneinfo.ZoneInfo(view.clock.agreement.calendar.time_zone)
    return moment.astimezone(tz).strftime("%a %d %b %H:%M %Z")


def badge_html(view: ClockView | None) -> SafeString:
    """Time left or overdue, coloured at the agreement's warning thresholds; paused says so."""
    if view is None:
        return mark_safe("")
    label = escape(view.label)
    left = business_duration(view.remaining_minutes)
    if view.state == ClockState.PAUSED:
        title = escape(f"{view.label} paused; {left} of business time left")
        return mark_safe(f'<span class="sla-badge sla-paused" title="{title}">⏸ {label}</span>')  # noqa: S308
    due = view.due_at
    stamp = f'<time datetime="{due.isoformat()}">' if due else "<time>"
    if view.breached:
        title = escape(f"{view.label} was due {in_calendar_zone(due, view)}")
        text = f"{label} overdue {left}"
        css = "sla-breached"
    else:
        title = escape(f"{view.label} due {in_calendar_zone(due, view)}")
        text = f"{label} in {left}"
        css = f"sla-{escape(view.level)}"
    return mark_safe(  # noqa: S308 (every value above is escaped)
        f'<span class="sla-badge {css}" title="{title}">{stamp}{text}</time></span>'
    )
