"""What the proactive app does when a client writes: the ticket's mood follows."""

from __future__ import annotations

from rapport.proactive.actions import refresh_mood
from rapport.tickets.models import Event, Side, Ticket
from rapport.tickets.reactor import reacts_to


@reacts_to("created", "reply")
def follow_mood(event: Event, ticket: Ticket) -> None:
    if event.kind == "created" or event.data.get("side") == Side.CLIENT:
        refresh_mood(ticket)
