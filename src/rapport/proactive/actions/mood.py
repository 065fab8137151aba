"""A ticket's mood: the trend of its client's scores, and the "going sour" flag."""

from __future__ import annotations

from django.db import transaction

from rapport.core import clock
from rapport.proactive.models import TicketMood
from rapport.proactive.sentiment import is_sour
from rapport.tickets.models import Message, Side, Ticket

# The trend shown on the ticket: the client's last few messages are what matter.
KEPT = 10


@transaction.atomic
def refresh_mood(ticket: Ticket) -> TicketMood:
    """Recompute from the thread (idempotent: a replayed reaction writes the same)."""
    scores = list(
        Message.objects.filter(ticket=ticket, author_side=Side.CLIENT, is_internal=False)
        .exclude(sentiment=None)
        .order_by("-created_at", "-id")
        .values_list("sentiment", flat=True)[:KEPT]
    )[::-1]
    mood, _ = TicketMood.objects.update_or_create(
        ticket=ticket,
        defaults={
            "scores": scores,
            "latest": scores[-1] if scores else None,
            "sour": is_sour(scores),
            "updated_at": clock.now(),
        },
    )
    return mood
