"""Reads of the outbox (every e-mail we send): for admins only."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.core.errors import NotFound
from rapport.directory.queries import Scope
from rapport.mail.models import OutboundMessage

PAGE = 50


def outbox(scope: Scope, *, state: str = "") -> QuerySet[OutboundMessage]:
    """Outbound mail, newest first; nothing at all for anyone but an admin (404, not 403)."""
    if not scope.is_admin:
        raise NotFound("There is no such page.")
    qs = OutboundMessage.objects.order_by("-created_at", "-id")
    return qs.filter(state=state) if state else qs


def outbound_message(scope: Scope, outbound_id: int) -> OutboundMessage:
    found = outbox(scope).filter(pk=outbound_id).first()
    if found is None:
        raise NotFound(f"There is no outbound mail {outbound_id}.")
    return found
