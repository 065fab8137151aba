"""Tickets, their messages, events and tags; uploads and attachments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import HttpError

from rapport.agreements.models import Agreement
from rapport.core.choices import Priority
from rapport.core.errors import Invalid, NotFound
from rapport.core.pagination import paginate
from rapport.directory import queries as directory_queries
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for, visible_people
from rapport.tickets import actions, queries
from rapport.tickets.models import Status as TicketStatus
from rapport.tickets.models import Ticket
from rapport.tickets.schemas import (
    EventPage,
    MergeIn,
    MessageCreate,
    MessageOut,
    MessagePage,
    StatusOut,
    TagsIn,
    TicketCreate,
    TicketDetail,
    TicketFilters,
    TicketOut,
    TicketPage,
    TicketPatch,
    UploadOut,
    event_out,
    message_out,
    ticket_out,
)

router = Router(tags=["tickets"])

SORTS = {
    "updated_at": ("updated_at", True),
    "created_at": ("created_at", True),
    "priority": ("priority", False),
    "number": ("id", False),
}


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _ticket(request: HttpRequest, number: int, field: str | None = None) -> Ticket:
    return queries.get_ticket(scope_for(_me(request)), number, field=field)


def _out(request: HttpRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    """A ticket as this reader may see it: its parent's number only if they may open it."""
    parents = queries.visible_parents(scope_for(_me(request)), [ticket])
    return ticket_out(ticket, parents=parents, **extra)


def _status(slug: str) -> TicketStatus:
    status = TicketStatus.objects.filter(slug=slug).first()
    if status is None:
        raise Invalid(f"There is no status {slug!r}.", field="status")
    return status


def _person(request: HttpRequest, person_id: int, field: str) -> Person:
    person = visible_people(scope_for(_me(request))).filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"There is no person {person_id} you can see.", field=field)
    return person


def _agreement(agreement_id: int | None) -> Agreement | None:
    if agreement_id is None:
        return None
    agreement = Agreement.objects.select_related("client").filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(f"There is no agreement {agreement_id}.", field="agreement")
    return agreement


def _party(party_id: int, field: str) -> Party:
    # From the request's copy of the reference data, as the action's statuses and
    # agreements: one small query for all of them.
    party = directory_queries.party(party_id)
    if party is None:
        raise NotFound(f"There is no party {party_id}.", field=field)
    return party


@router.get("/statuses", response=list[StatusOut], summary="The statuses a ticket can have")
def list_statuses(request: HttpRequest) -> list[TicketStatus]:
    return queries.statuses()


@router.get("/tags", response=list[str], summary="Tags in use")
def list_tags(
    request: HttpRequest,
    prefix: str | None = Query(None, max_length=64),
    limit: int = Query(25, ge=1, le=100),
) -> list[str]:
    qs = queries.tag_names(scope_for(_me(request)))
    if prefix:
        qs = qs.filter(name__startswith=prefix.lower())
    return list(qs.values_list("name", flat=True)[:limit])


@router.get("/tickets", response=TicketPage, summary="List tickets you can see")
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> dict[str, Any]:
    me = _me(request)
    scope = scope_for(me)
    qs = queries.visible_tickets(scope)
    qs = queries.filter_tickets(
        qs,
        status=filters.status,
        category=filters.category,
        priority=Priority.from_name(filters.priority) if filters.priority else None,
        provider=filters.provider,
        client=filters.client,
        assignee=filters.assignee,
        me=me.pk,
        requester=filters.requester,
        tag=filters.tag.lower() if filters.tag else None,
        text=filters.q,
        updated_since=filters.updated_since,
    )
    field, is_datetime = SORTS[filters.sort.lstrip("-")]
    items, cursor = paginate(
        qs,
        field=field,
        descending=filters.sort.startswith("-"),
        cursor=filters.cursor,
        limit=filters.limit,
        is_datetime=is_datetime,
        # The page's keys first (way of seeing by way of seeing, where that pays),
        # then only those tickets with their joins.
        any_of=queries.list_parts(scope, provider=filters.provider, client=filters.client),
        fetch=queries.with_list_joins,
    )
    parents = queries.visible_parents(scope, items)
    return {"items": [ticket_out(t, parents=parents) for t in items], "next_cursor": cursor}


@router.post("/tickets", response={201: TicketDetail}, summary="Raise a ticket")
def create_ticket(request: HttpRequest, payload: TicketCreate) -> Status[dict[str, Any]]:
    me = _me(request)
    opened = actions.open_ticket(
        me,
        subject=payload.subject,
        body=payload.body,
        provider=_party(payload.provider, "provider"),
        requester=_person(request, payload.requester, "requester") if payload.requester else None,
        client=_party(payload.client, "client") if payload.client else None,
        priority=Priority.from_name(payload.priority) if payload.priority else None,
        channel=payload.channel,
        body_is_html=payload.body_is_html,
        tags=payload.tags,
        parent=_ticket(request, payload.parent, "parent") if payload.parent else None,
        assignee=_person(request, payload.assignee, "assignee") if payload.assignee else None,
        attachments=payload.attachments,
    )
    # Answer from what is in hand: the ticket's relations were set by the action, and a
    # new ticket has one message and no children. This also means staff who raise a
    # ticket into a queue they cannot read get it back rather than a 404.
    # Its one message (never internal) and the attachments it claimed are in hand too.
    ticket = opened.ticket
    # The action checked that its author may see the parent.
    data = ticket_out(
        ticket, parents={ticket.parent_id} if ticket.parent_id else set(),
        tags=sorted(t.name for t in ticket.tags.all()) if payload.tags else [],
    )  # fmt: skip
    data["messages"] = [message_out(opened.message, attachments=opened.attachments)]
    data["children"] = []
    return Status(201, data)


def _detail(request: HttpRequest, number: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    ticket = queries.get_ticket(scope, number)
    data = ticket_out(ticket, parents=queries.visible_parents(scope, [ticket]))
    data["messages"] = [message_out(m) for m in queries.thread(scope, ticket)]
    data["children"] = queries.visible_children(scope, ticket)
    return data


@router.get("/tickets/{number}", response=TicketDetail, summary="One ticket with its thread")
def get_ticket(request: HttpRequest, number: int) -> dict[str, Any]:
    return _detail(request, number)


@router.patch(
    "/tickets/{number}",
    response=TicketOut,
    summary="Change subject, status, priority, assignee or agreement",
)
def patch_ticket(request: HttpRequest, number: int, payload: TicketPatch) -> dict[str, Any]:
    me = _me(request)
    changes = payload.model_fields_set
    if not changes:
        raise Invalid("Nothing to change.")
    with transaction.atomic():
        ticket = queries.get_ticket(scope_for(me), number)
        if "subject" in changes and payload.subject is not None:
            actions.set_subject(me, ticket, payload.subject)
        if "priority" in changes and payload.priority is not None:
            actions.set_priority(me, ticket, Priority.from_name(payload.priority))
        if "assignee" in changes:
            assignee = _person(request, payload.assignee, "assignee") if payload.assignee else None
            actions.assign(me, ticket, assignee)
        if "agreement" in changes:
            actions.set_agreement(me, ticket, _agreement(payload.agreement))
        if "status" in changes and payload.status is not None:
            actions.set_status(me, ticket, _status(payload.status))
    return _out(request, _ticket(request, number))


@router.get("/tickets/{number}/messages", response=MessagePage, summary="The thread of a ticket")
def list_messages(
    request: HttpRequest,
    number: int,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(25, ge=1, le=100),
) -> dict[str, Any]:
    scope = scope_for(_me(request))
    ticket = queries.get_ticket(scope, number)
    items, next_cursor = paginate(
        queries.thread(scope, ticket),
        field="created_at",
        descending=False,
        cursor=cursor,
        limit=limit,
        is_datetime=True,
    )
    return {"items": [message_out(m) for m in items], "next_cursor": next_cursor}


@router.post(
    "/tickets/{number}/messages",
    response={201: MessageOut},
    summary="Reply, or add an internal note",
)
def create_message(
    request: HttpRequest, number: int, payload: MessageCreate
) -> Status[dict[str, Any]]:
    me = _me(request)
    with transaction.atomic():
        ticket = queries.get_ticket(scope_for(me), number)
        if payload.internal:
            if payload.status:
                raise Invalid("A status goes with a reply, not a note.", field="status")
            message = actions.add_note(
                me, ticket, body=payload.body, body_is_html=payload.body_is_html,
                attachments=payload.attachments,
            )  # fmt: skip
        else:
            message = actions.reply(
                me, ticket, body=payload.body, body_is_html=payload.body_is_html,
                attachments=payload.attachments,
                status=_status(payload.status) if payload.status else None,
                channel="api",
            )  # fmt: skip
    message = queries.thread(scope_for(me), ticket).get(pk=message.pk)
    return Status(201, message_out(message))


@router.get(
    "/tickets/{number}/events", response=EventPage, summary="The change history of a ticket"
)
def list_events(
    request: HttpRequest,
    number: int,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(25, ge=1, le=100),
) -> dict[str, Any]:
    scope = scope_for(_me(request))
    ticket = queries.get_ticket(scope, number)
    items, next_cursor = paginate(
        queries.history(scope, ticket),
        field="created_at",
        descending=False,
        cursor=cursor,
        limit=limit,
        is_datetime=True,
    )
    return {"items": [event_out(e) for e in items], "next_cursor": next_cursor}


@router.post("/tickets/{number}/tags", response=TicketOut, summary="Add tags")
def add_tags(request: HttpRequest, number: int, payload: TagsIn) -> dict[str, Any]:
    actions.tag(_me(request), _ticket(request, number), payload.tags)
    return _out(request, _ticket(request, number))


@router.delete("/tickets/{number}/tags/{tag}", response=TicketOut, summary="Remove a tag")
def remove_tag(request: HttpRequest, number: int, tag: str) -> dict[str, Any]:
    actions.untag(_me(request), _ticket(request, number), [tag])
    return _out(request, _ticket(request, number))


@router.post(
    "/tickets/{number}/merge", response=TicketOut, summary="Merge this ticket into another"
)
def merge_ticket(request: HttpRequest, number: int, payload: MergeIn) -> dict[str, Any]:
    source = _ticket(request, number)
    target = _ticket(request, payload.into, "into")
    actions.merge(_me(request), source, target)
    return _out(request, _ticket(request, target.pk))


@router.post(
    "/tickets/{number}/reopen", response=TicketOut, summary="Reopen a solved or closed ticket"
)
def reopen_ticket(request: HttpRequest, number: int) -> dict[str, Any]:
    actions.reopen(_me(request), _ticket(request, number))
    return _out(request, _ticket(request, number))


@router.post("/uploads", response={201: UploadOut}, summary="Upload a file to attach to a message")
def upload(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    if file.size is None:
        raise HttpError(400, "The upload has no size.")
    attachment = actions.upload(
        _me(request),
        stream=file,
        filename=file.name or "attachment",
        size=file.size,
        content_type=file.content_type or "",
    )
    return Status(
        201,
        {
            "token": attachment.token.hex,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )


@router.get("/attachments/{attachment_id}", summary="Download an attachment", response={200: None})
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = queries.get_attachment(scope_for(_me(request)), attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    # Never let a browser render an uploaded file as a page of ours.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
