"""Template helpers for SLA badges and clock panels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from rapport.sla.badges import badge_html, business_duration, in_calendar_zone
from rapport.sla.queries import ClockView

register = template.Library()


register.filter("business_duration", business_duration)
register.filter("in_calendar_zone", in_calendar_zone)


@register.simple_tag
def sla_badge(badges: Mapping[int, ClockView], ticket: Any) -> SafeString:
    """`{% sla_badge badges ticket %}` with `badges` from `rapport.sla.queries.badges`."""
    return badge_html(badges.get(ticket.pk))
