"""The mail intake over the API: the quarantine (admins) and each message's original."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema

from rapport.core.pagination import paginate
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.mail import actions, queries, store
from rapport.mail.models import InboundMessage

router = Router(tags=["mail"])

StateName = Literal["received", "processed", "ignored", "quarantined"]


class InboundOut(Schema):
    id: int
    state: StateName
    outcome: str
    reason: str
    sender: str
    subject: str
    message_id: str
    mailbox: str | None
    transport: str
    ticket: int | None
    message: int | None
    attempts: int
    size: int
    received_at: datetime
    processed_at: datetime | None


class InboundPage(Schema):
    items: list[InboundOut]
    next_cursor: str | None


class InboundFilters(Schema):
    state: StateName | None = Field(default=None, description="Only this state")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


class OriginalOut(Schema):
    message: int
    sender: str
    subject: str
    message_id: str
    full_text: str
    full_html: str
    received_at: datetime


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def inbound_out(inbound: InboundMessage) -> dict[str, Any]:
    return {
        "id": inbound.pk,
        "state": inbound.state,
        "outcome": inbound.outcome,
        "reason": inbound.reason,
        "sender": inbound.sender,
        "subject": inbound.subject,
        "message_id": inbound.rfc_id,
        "mailbox": inbound.mailbox.address if inbound.mailbox else None,
        "transport": inbound.transport,
        "ticket": inbound.ticket_id,
        "message": inbound.message_id,
        "attempts": inbound.attempts,
        "size": inbound.raw.size,
        "received_at": inbound.received_at,
        "processed_at": inbound.processed_at,
    }


@router.get("/mail/inbound", response=InboundPage, summary="Inbound mail (admins)")
def list_inbound(request: HttpRequest, filters: Query[InboundFilters]) -> dict[str, Any]:
    qs = queries.inbound(scope_for(_me(request)), state=filters.state).select_related("raw")
    items, cursor = paginate(
        qs,
        field="received_at",
        descending=True,
        cursor=filters.cursor,
        limit=filters.limit,
        is_datetime=True,
    )
    return {"items": [inbound_out(i) for i in items], "next_cursor": cursor}


@router.post(
    "/mail/inbound/{inbound_id}/replay",
    response=InboundOut,
    summary="Process a quarantined message again (admins)",
)
def replay_inbound(request: HttpRequest, inbound_id: int) -> dict[str, Any]:
    me = _me(request)
    inbound = queries.get_inbound(scope_for(me), inbound_id)
    result = actions.replay(me, inbound)
    return inbound_out(InboundMessage.objects.select_related("raw", "mailbox").get(pk=result.pk))


@router.get(
    "/tickets/{number}/messages/{message_id}/original",
    response=OriginalOut,
    summary="The whole e-mail a message came from (quotes and signature included)",
)
def original(request: HttpRequest, number: int, message_id: int) -> dict[str, Any]:
    inbound = queries.original_of(scope_for(_me(request)), number, message_id)
    return {
        "message": message_id,
        "sender": inbound.sender,
        "subject": inbound.subject,
        "message_id": inbound.rfc_id,
        "full_text": inbound.full_text,
        "full_html": inbound.full_html,
        "received_at": inbound.received_at,
    }


@router.get(
    "/tickets/{number}/messages/{message_id}/original.eml",
    summary="Download the e-mail a message came from, byte for byte",
    response={200: None},
)
def original_raw(request: HttpRequest, number: int, message_id: int) -> FileResponse:
    inbound = queries.original_of(scope_for(_me(request)), number, message_id)
    response = FileResponse(
        store.open_raw(inbound.raw.path),
        as_attachment=True,
        filename=f"message-{message_id}.eml",
        content_type="message/rfc822",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
