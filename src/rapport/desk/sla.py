"""Where service-level information joins the desk's pages.

A queue page reads the badges of its rows in one query (`queue_badges`) and
draws each with `queue_cell`; the ticket page shows the clock panel of the SLA
engine (`desk/_sla_panel.html`) to those who may see the clocks: the providing
side and the team that handed the work over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.safestring import SafeString

from rapport.directory.queries import Scope
from rapport.sla.badges import badge_html
from rapport.sla.queries import ClockView, badges_by_number, may_see_clocks, ticket_clocks
from rapport.tickets.models import Ticket


def queue_badges(rows: Iterable[dict[str, Any]], now: datetime) -> dict[int, ClockView]:
    return badges_by_number([int(r["id"]) for r in rows], now)


def queue_cell(view: ClockView | None) -> SafeString:
    return badge_html(view)


def ticket_panel(scope: Scope, ticket: Ticket, now: datetime) -> dict[str, Any]:
    """The clock panel's context; clients never reach the desk, but a vendor's lead might."""
    if not may_see_clocks(scope, ticket):
        return {"show_clocks": False, "clocks": []}
    return {"show_clocks": True, "clocks": ticket_clocks(ticket, now)}
