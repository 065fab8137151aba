"""What the surveys app does when a ticket moves: a ticket solved gets its survey."""

from __future__ import annotations

from rapport.surveys.actions import on_ticket_solved
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to


@reacts_to("status")
def schedule_survey(event: Event, ticket: Ticket) -> None:
    if event.data.get("solved"):
        on_ticket_solved(ticket, event.actor, at=event.created_at)
