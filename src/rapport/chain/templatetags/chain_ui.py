"""Formatting of the chain's figures."""

from __future__ import annotations

from django import template

from rapport.chain.models import WAITING_SLUG
from rapport.core.choices import plain_status
from rapport.tickets.models import Ticket

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@register.filter
def hours(minutes: float | None) -> str:
    return "–" if minutes is None else f"{minutes / 60:.1f}"


@register.filter
def client_status(ticket: Ticket) -> str:
    """A ticket's status as its client reads it: waiting on a partner, never on whom."""
    if ticket.status.slug == WAITING_SLUG:
        return "Waiting on a partner"
    return plain_status(ticket.status_category)
