"""Reads of the mail channel, scoped: quarantine for admins, originals for readers."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.queries import Scope
from rapport.mail.models import InboundMessage, InboundState, Mailbox, MessageRef
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import can_view


def require_admin(scope: Scope) -> None:
    if not scope.is_admin:
        raise PermissionDenied("Only an admin can see the mail intake.")


def inbound(scope: Scope, *, state: str | None = None) -> QuerySet[InboundMessage]:
    require_admin(scope)
    qs = InboundMessage.objects.select_related("mailbox")
    if state:
        qs = qs.filter(state=state)
    return qs


def mailboxes(scope: Scope) -> QuerySet[Mailbox]:
    require_admin(scope)
    return Mailbox.objects.select_related("provider_party", "unknown_sender_organisation")


def get_mailbox(scope: Scope, mailbox_id: int) -> Mailbox:
    found = mailboxes(scope).filter(pk=mailbox_id).first()
    if found is None:
        raise NotFound(f"There is no mailbox {mailbox_id}.")
    return found


def held_spam(scope: Scope) -> QuerySet[InboundMessage]:
    """Mail held as spam, for staff to review (newest first)."""
    if not scope.is_staff:
        raise PermissionDenied("Only staff review mail held as spam.")
    return InboundMessage.objects.select_related("mailbox", "raw").filter(state=InboundState.SPAM)


def get_for_review(scope: Scope, inbound_id: int) -> InboundMessage:
    """An inbound message a staff member may judge as spam or not: held spam, or mail
    placed on a ticket they can see."""
    if not scope.is_staff:
        raise PermissionDenied("Only staff review mail as spam.")
    found = (
        InboundMessage.objects.select_related("raw", "mailbox", "ticket")
        .filter(pk=inbound_id)
        .order_by()
        .first()
    )
    if found is None or (found.state != InboundState.SPAM and found.ticket is None):
        raise NotFound(f"There is no inbound message {inbound_id} to review.")
    if found.ticket is not None and not can_view(scope, found.ticket):
        raise NotFound(f"There is no inbound message {inbound_id} to review.")
    return found


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
