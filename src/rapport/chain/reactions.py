"""What the service chain does when a ticket moves: a hand-off that is done tells its
parent's side (and resumes a parent that was waiting on it)."""

from __future__ import annotations

from rapport.chain.actions import on_child_done
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to


@reacts_to("status")
def tell_parent(event: Event, ticket: Ticket) -> None:
    if event.data.get("done") and ticket.parent_id is not None:
        on_child_done(ticket, event.actor, cause=event.pk)
