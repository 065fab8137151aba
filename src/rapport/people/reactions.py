"""What the people app does when something happens on a ticket: a confirmed corrective
action with cause *training* or *personnel* assigns training (or a reassessment)."""

from __future__ import annotations

from rapport.people.actions import training
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to

TRAINING_CAUSES = ("training", "personnel")


@reacts_to("corrective_action")
def assign_corrective_training(event: Event, ticket: Ticket) -> None:
    if event.data.get("cause") in TRAINING_CAUSES:
        training.on_corrective_action(event.data)
