"""Agents' review of mail held as spam: release it (not spam) or confirm it, and
mark a placed message as spam. Each decision is told to spamd, when one is
configured, so its filter learns; nothing is ever deleted."""

from __future__ import annotations

import logging

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.mail import spam, store
from rapport.mail.actions import batches
from rapport.mail.models import InboundMessage, InboundState
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import can_view

logger = logging.getLogger(__name__)


def require_reviewer(actor: Person | None) -> None:
    if actor is not None and not scope_for(actor).is_staff:
        raise PermissionDenied("Only staff review mail held as spam.")


def _teach(inbound: InboundMessage, kind: str) -> bool:
    """Tell spamd; a filter that is down must not stop the agent's decision."""
    if spam.address() is None:
        return False
    try:
        with store.open_raw(inbound.raw.path) as handle:
            spam.tell(handle.read(), kind)
    except (spam.SpamdError, OSError) as exc:
        logger.warning("could not teach spamd (%s) about inbound %s: %s", kind, inbound.pk, exc)
        return False
    return True


def release(actor: Person | None, inbound: InboundMessage) -> InboundMessage:
    """Not spam: the message is placed as if the filter had passed it."""
    require_reviewer(actor)
    with transaction.atomic():
        updated = InboundMessage.objects.filter(pk=inbound.pk, state=InboundState.SPAM).update(
            state=InboundState.RECEIVED, released_at=clock.now(), spam_feedback="ham"
        )
    if not updated:
        raise Conflict(f"Message {inbound.pk} is not held as spam.")
    _teach(inbound, "ham")
    return batches.process(inbound.pk)


def confirm(actor: Person | None, inbound: InboundMessage) -> InboundMessage:
    """Spam indeed: it stays held (kept, never deleted) and the filter learns it."""
    require_reviewer(actor)
    if inbound.state != InboundState.SPAM:
        raise Conflict(f"Message {inbound.pk} is not held as spam.")
    _teach(inbound, "spam")
    InboundMessage.objects.filter(pk=inbound.pk).update(spam_feedback="spam")
    inbound.refresh_from_db()
    return inbound


def mark_spam(actor: Person | None, inbound: InboundMessage) -> InboundMessage:
    """A message that reached a ticket was spam after all: the filter learns it."""
    if actor is not None:
        scope = scope_for(actor)
        if not scope.is_staff or (
            inbound.ticket is not None and not can_view(scope, inbound.ticket)
        ):
            raise PermissionDenied("Only staff who see the ticket can mark its mail as spam.")
    _teach(inbound, "spam")
    InboundMessage.objects.filter(pk=inbound.pk).update(spam_feedback="spam")
    inbound.refresh_from_db()
    return inbound


SPAM_TAG = "spam"


def mark_ticket(actor: Person, ticket: Ticket, *, is_spam: bool) -> InboundMessage:
    """From the desk: the mail that opened `ticket` was spam (or, undoing that, was not).

    spamd learns from the original message; the ticket is tagged `spam` (or untagged) so
    it can be filtered and closed like any other, and nothing is deleted."""
    first = (
        InboundMessage.objects.select_related("raw")
        .filter(ticket=ticket)
        .order_by("received_at", "id")
        .first()
    )
    if first is None:
        raise Conflict(f"#{ticket.pk} did not come by e-mail: there is no message to learn from.")
    if is_spam:
        marked = mark_spam(actor, first)
        ticket_actions.tag(actor, ticket, [SPAM_TAG])
        return marked
    scope = scope_for(actor)
    if not scope.is_staff or not can_view(scope, ticket):
        raise PermissionDenied("Only staff who see the ticket can say its mail is not spam.")
    _teach(first, "ham")
    InboundMessage.objects.filter(pk=first.pk).update(spam_feedback="ham")
    ticket_actions.untag(actor, ticket, [SPAM_TAG])
    first.refresh_from_db()
    return first
