"""The mail channel over the API: mailboxes and the quarantine (admins), the review of
mail held as spam (staff), and each message's original."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema

from rapport.core.errors import Invalid
from rapport.core.pagination import paginate
from rapport.directory.models import Organisation, Person
from rapport.directory.queries import scope_for
from rapport.mail import actions, queries, spam, store
from rapport.mail.actions import spam as spam_actions
from rapport.mail.models import InboundMessage, InboundState, Mailbox

router = Router(tags=["mail"])

StateName = Literal["received", "processed", "ignored", "quarantined", "spam"]


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
    spam_score: float | None
    spam_feedback: str
    size: int
    received_at: datetime
    processed_at: datetime | None


class MailboxOut(Schema):
    id: int
    address: str
    name: str
    provider: int
    default_priority: int | None
    unknown_sender_organisation: int | None = Field(
        description="Where senders whose domain matches no customer become contacts "
        "(the catch-all); null: such mail is quarantined."
    )
    is_active: bool
    spam_filter: str = Field(description="Whether inbound mail is checked by spamd.")


class MailboxPatch(Schema):
    name: str | None = Field(default=None, max_length=200)
    default_priority: int | None = Field(default=None, ge=1, le=4)
    unknown_sender_organisation: int | None = Field(default=None, ge=1, le=2**31 - 1)
    is_active: bool | None = None


class InboundPage(Schema):
    items: list[InboundOut]
    next_cursor: str | None


class InboundFilters(Schema):
    state: StateName | None = Field(default=None, description="Only this state")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


class SpamFilters(Schema):
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
        "spam_score": inbound.spam_score,
        "spam_feedback": inbound.spam_feedback,
        "size": inbound.raw.size,
        "received_at": inbound.received_at,
        "processed_at": inbound.processed_at,
    }


def mailbox_out(mailbox: Mailbox, spam_filter: str) -> dict[str, Any]:
    return {
        "id": mailbox.pk,
        "address": mailbox.address,
        "name": mailbox.name,
        "provider": mailbox.provider_party_id,
        "default_priority": mailbox.default_priority,
        "unknown_sender_organisation": mailbox.unknown_sender_organisation_id,
        "is_active": mailbox.is_active,
        "spam_filter": spam_filter,
    }


@router.get("/mail/mailboxes", response=list[MailboxOut], summary="Mailboxes (admins)")
def list_mailboxes(request: HttpRequest) -> list[dict[str, Any]]:
    found = list(queries.mailboxes(scope_for(_me(request)))[:200])
    status = spam.status()
    return [mailbox_out(m, status) for m in found]


@router.get("/mail/mailboxes/{mailbox_id}", response=MailboxOut, summary="A mailbox (admins)")
def get_mailbox(request: HttpRequest, mailbox_id: int) -> dict[str, Any]:
    return mailbox_out(queries.get_mailbox(scope_for(_me(request)), mailbox_id), spam.status())


@router.patch(
    "/mail/mailboxes/{mailbox_id}",
    response=MailboxOut,
    summary="Change a mailbox: its name, default priority, catch-all organisation (admins)",
)
def patch_mailbox(request: HttpRequest, mailbox_id: int, body: MailboxPatch) -> dict[str, Any]:
    me = _me(request)
    mailbox = queries.get_mailbox(scope_for(me), mailbox_id)
    fields = body.model_dump(exclude_unset=True)
    if "unknown_sender_organisation" in fields:
        org_id = fields["unknown_sender_organisation"]
        org = None
        if org_id is not None:
            org = Organisation.objects.filter(pk=org_id).first()
            if org is None:
                raise Invalid(
                    f"There is no organisation {org_id}.", field="unknown_sender_organisation"
                )
        fields["unknown_sender_organisation"] = org
    for name in ("name", "is_active"):
        if name in fields and fields[name] is None:
            raise Invalid(f"{name} cannot be null.", field=name)
    updated = actions.update_mailbox(me, mailbox, **fields)
    return mailbox_out(updated, spam.status())


@router.get("/mail/spam", response=InboundPage, summary="Mail held as spam, to review (staff)")
def list_spam(request: HttpRequest, filters: Query[SpamFilters]) -> dict[str, Any]:
    qs = queries.held_spam(scope_for(_me(request)))
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
    "/mail/inbound/{inbound_id}/not-spam",
    response=InboundOut,
    summary="Release mail held as spam: it is placed, and the spam filter learns (staff)",
)
def not_spam(request: HttpRequest, inbound_id: int) -> dict[str, Any]:
    me = _me(request)
    inbound = queries.get_for_review(scope_for(me), inbound_id)
    result = spam_actions.release(me, inbound)
    return inbound_out(InboundMessage.objects.select_related("raw", "mailbox").get(pk=result.pk))


@router.post(
    "/mail/inbound/{inbound_id}/spam",
    response=InboundOut,
    summary="Mark mail as spam (held, or placed on a ticket you see): the filter learns (staff)",
)
def is_spam(request: HttpRequest, inbound_id: int) -> dict[str, Any]:
    me = _me(request)
    inbound = queries.get_for_review(scope_for(me), inbound_id)
    if inbound.state == InboundState.SPAM:
        result = spam_actions.confirm(me, inbound)
    else:
        result = spam_actions.mark_spam(me, inbound)
    return inbound_out(InboundMessage.objects.select_related("raw", "mailbox").get(pk=result.pk))


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
