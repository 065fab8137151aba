"""What an admin does with a reaction that failed: try it again now."""

from __future__ import annotations

from django.db import connection, transaction

from rapport.core import clock
from rapport.core.errors import Conflict, NotFound, PermissionDenied
from rapport.directory.models import Person
from rapport.tickets import reactor
from rapport.tickets.actions.common import scope_of
from rapport.tickets.models import PendingReaction, ReactionState


@transaction.atomic
def retry_reaction(actor: Person | None, pending_id: int) -> PendingReaction | None:
    """Run a parked (or retrying) reaction again now, in this request. Returns None
    when it succeeded (it is gone, and the events held behind it ran), else the row
    with its new error."""
    if not scope_of(actor).is_admin:
        raise PermissionDenied("Only an admin can retry reactions.")
    qs = PendingReaction.objects.select_related("event")
    if connection.vendor == "postgresql":
        qs = qs.select_for_update()  # the worker's retry of the same row waits for ours
    row = qs.filter(pk=pending_id).first()
    if row is None:
        raise NotFound(f"There is no reaction {pending_id}.")
    if row.state == ReactionState.HELD:
        raise Conflict(
            f"Reaction {pending_id} waits behind an earlier event of ticket #{row.ticket_id}:"
            " retry that one."
        )
    sub = reactor.subscribers().get(row.subscriber)
    if sub is None:
        raise Conflict(f"No reaction named {row.subscriber} is installed any more.")
    # A retry by hand gets one more try even when it was out of tries already.
    if row.state == ReactionState.PARKED:
        row.attempts = reactor.MAX_ATTEMPTS - 1
    return None if reactor.attempt(row, sub, clock.now()) else row
