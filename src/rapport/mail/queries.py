"""Reads of the mail channel, scoped: quarantine for admins, originals for readers."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.queries import Scope
from rapport.mail.models import InboundMessage, MessageRef
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket


def require_admin(scope: Scope) -> None:
    if not scope.is_admin:
        raise PermissionDenied("Only an admin can see the mail intake.")


def inbound(scope: Scope, *, state: str | None = None) -> QuerySet[InboundMessage]:
    require_admin(scope)
    qs = InboundMessage.objects.select_related("mailbox")
    if state:
        qs = qs.filter(state=state)
    return qs


def get_inbound(scope: Scope, inbound_id: int) -> InboundMessage:
    require_admin(scope)
    found = InboundMessage.objects.select_related("raw", "mailbox").filter(pk=inbound_id).first()
    if found is None:
        raise NotFound(f"There is no inbound message {inbound_id}.")
    return found


def original_of(scope: Scope, number: int, message_id: int) -> InboundMessage:
    """The e-mail a message of a ticket came from, for anyone who may read that message."""
    ticket = ticket_queries.get_ticket(scope, number)
    message = ticket_queries.thread(scope, ticket).filter(pk=message_id).first()
    if message is None:
        raise NotFound(f"There is no message {message_id} on #{number} you can see.")
    found = InboundMessage.objects.select_related("raw").filter(message=message).first()
    if found is None:
        raise NotFound(f"Message {message_id} did not come by e-mail.")
    return found


def ticket_message_ids(ticket: Ticket, limit: int = 20) -> list[str]:
    """The Message-IDs of a ticket's mail, oldest first: the References of a new mail."""
    rows = MessageRef.objects.filter(ticket=ticket).order_by("-created_at", "-id")[:limit]
    return [r.rfc_id for r in reversed(list(rows))]
