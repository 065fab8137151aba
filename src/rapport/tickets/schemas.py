"""Request and response shapes of the tickets API."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

from rapport.core.choices import Priority
from rapport.core.schemas import LIMIT, MAX_ID, Input, PartyRef, PersonRef
from rapport.tickets.models import Attachment, Event, Message, Ticket

PriorityName = Literal["low", "normal", "high", "urgent"]
CategoryName = Literal["open", "pending_client", "on_hold", "solved", "closed"]
ChannelName = Literal["web", "email", "api", "phone"]
SortName = Literal[
    "updated_at", "-updated_at", "created_at", "-created_at", "priority", "-priority",
    "number", "-number",
]  # fmt: skip
TagName = Field(min_length=1, max_length=64)


class AgreementRef(Schema):
    id: int
    name: str
    kind: str


class TicketOut(Schema):
    number: int
    subject: str
    status: str
    status_name: str
    category: CategoryName
    priority: PriorityName
    channel: ChannelName
    requester: PersonRef
    client: PartyRef
    provider: PartyRef
    agreement: AgreementRef | None
    assignee: PersonRef | None
    tags: list[str]
    parent: int | None = Field(description="Only when you may open the parent ticket")
    merged_into: int | None
    message_count: int
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    ticket: int
    author: PersonRef | None
    side: Literal["client", "provider", "system"]
    internal: bool
    channel: ChannelName
    body_html: str
    body_text: str
    attachments: list[AttachmentOut]
    created_at: datetime


class TicketDetail(TicketOut):
    messages: list[MessageOut]
    children: list[int]


class EventOut(Schema):
    id: int
    kind: str
    field: str
    old: str
    new: str
    actor: PersonRef | None
    created_at: datetime
    data: dict[str, Any]


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class TicketFilters(Schema):
    status: str | None = Field(default=None, max_length=40, description="Status slug")
    category: CategoryName | None = None
    priority: PriorityName | None = None
    provider: int | None = Field(default=None, ge=1, le=MAX_ID, description="Provider party id")
    client: int | None = Field(default=None, ge=1, le=MAX_ID, description="Client party id")
    assignee: str | None = Field(
        default=None, pattern=r"^(\d{1,18}|me|none)$", description="Person id, 'me' or 'none'"
    )
    requester: int | None = Field(default=None, ge=1, le=MAX_ID, description="Person id")
    tag: str | None = Field(default=None, max_length=64)
    q: str | None = Field(default=None, max_length=200, description="Full-text search")
    updated_since: datetime | None = Field(default=None, description="UTC unless it has an offset")
    sort: SortName = "-updated_at"
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = LIMIT

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        # PostgreSQL refuses offsets beyond ±15:59 that Python parses happily.
        if value is None:
            return None
        try:
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        except OverflowError:
            raise ValueError("The time is out of range once moved to UTC.")


class TicketCreate(Input):
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=200_000)
    provider: int = Field(description="Party id of the team, vendor or contractor asked")
    requester: int | None = Field(default=None, description="Person id; you by default")
    client: int | None = Field(default=None, description="Party id; the requester's by default")
    priority: PriorityName | None = None
    channel: ChannelName = "api"
    body_is_html: bool = False
    tags: list[str] = Field(default_factory=list, max_length=50)
    parent: int | None = None
    assignee: int | None = None
    attachments: list[str] = Field(default_factory=list, max_length=20, description="Upload tokens")


class TicketPatch(Input):
    subject: str | None = Field(default=None, min_length=1, max_length=300)
    status: str | None = Field(default=None, max_length=40, description="Status slug")
    priority: PriorityName | None = None
    assignee: int | None = Field(default=None, description="Person id, or null to unassign")
    agreement: int | None = Field(
        default=None, description="Agreement id, or null for none; the SLA clocks follow"
    )


class MessageCreate(Input):
    body: str = Field(min_length=1, max_length=200_000)
    internal: bool = Field(default=False, description="An internal note instead of a reply")
    body_is_html: bool = False
    attachments: list[str] = Field(default_factory=list, max_length=20, description="Upload tokens")
    status: str | None = Field(default=None, max_length=40, description="Set this status too")


class TagsIn(Input):
    tags: list[str] = Field(min_length=1, max_length=50)


class MergeIn(Input):
    into: int = Field(description="Number of the ticket that remains")


class StatusOut(Schema):
    slug: str
    name: str
    category: CategoryName


class UploadOut(Schema):
    token: str
    filename: str
    content_type: str
    size: int


def person_ref(person: Any) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.display_name} if person is not None else None


def ticket_out(
    t: Ticket, *, parents: AbstractSet[int], tags: list[str] | None = None
) -> dict[str, Any]:
    """`parents`: the parents the reader may open (`queries.visible_parents`); any other
    parent is left out. `tags` saves the query when the caller knows them (a ticket it
    just created)."""
    return {
        "number": t.pk,
        "subject": t.subject,
        "status": t.status.slug,
        "status_name": t.status.name,
        "category": t.status_category,
        "priority": Priority(t.priority).label,
        "channel": t.channel,
        "requester": person_ref(t.requester),
        "client": {
            "id": t.client_party_id,
            "name": t.client_party.name,
            "kind": t.client_party.kind,
        },
        "provider": {
            "id": t.provider_party_id,
            "name": t.provider_party.name,
            "kind": t.provider_party.kind,
        },
        "agreement": (
            {"id": t.agreement.pk, "name": t.agreement.name, "kind": t.agreement.kind}
            if t.agreement
            else None
        ),
        "assignee": person_ref(t.assignee),
        "tags": tags if tags is not None else [tag.name for tag in t.tags.all()],
        "parent": t.parent_id if t.parent_id in parents else None,
        "merged_into": t.merged_into_id,
        "message_count": t.message_count,
        "reopen_count": t.reopen_count,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "first_response_at": t.first_response_at,
        "solved_at": t.solved_at,
        "closed_at": t.closed_at,
    }


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "url": f"/api/v1/attachments/{a.pk}",
    }


def message_out(m: Message, *, attachments: list[Attachment] | None = None) -> dict[str, Any]:
    """`attachments` (ordered by id) saves the query when the caller has them."""
    if attachments is None:
        attachments = list(m.attachments.all())
    return {
        "id": m.pk,
        "ticket": m.ticket_id,
        "author": person_ref(m.author),
        "side": m.author_side,
        "internal": m.is_internal,
        "channel": m.channel,
        "body_html": m.body_html,
        "body_text": m.body_text,
        "attachments": [attachment_out(a) for a in attachments],
        "created_at": m.created_at,
    }


def event_out(e: Event) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "field": e.field,
        "old": e.old_value,
        "new": e.new_value,
        "actor": person_ref(e.actor),
        "created_at": e.created_at,
        "data": e.data,
    }
