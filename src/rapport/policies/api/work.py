"""Policies at work on tickets: exceptions and citations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import NotFound
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.api._common import (
    caller,
    path_document,
    router,
    staff_document,
)
from rapport.policies.models import (
    PolicyException,
)
from rapport.tickets import queries as ticket_queries


class ExceptionOut(Schema):
    id: int
    ticket: int
    document: int
    document_title: str
    agent: PersonRef
    why: str
    instead: str
    within_autonomy: bool
    status: str
    approver: PersonRef | None
    proposal: int | None
    created_at: datetime
    decided_at: datetime | None
    decision_note: str


def exception_out(e: PolicyException) -> dict[str, Any]:
    return {
        "id": e.pk, "ticket": e.ticket_id, "document": e.document_id,
        "document_title": e.document.title,
        "agent": {"id": e.agent_id, "name": e.agent.display_name}, "why": e.why,
        "instead": e.instead, "within_autonomy": e.within_autonomy, "status": e.status,
        "approver": {"id": e.approver_id, "name": e.approver.display_name} if e.approver else None,
        "proposal": e.proposal_id, "created_at": e.created_at, "decided_at": e.decided_at,
        "decision_note": e.decision_note,
    }  # fmt: skip


@router.get("/documents/{document_id}/exceptions", response=list[ExceptionOut],
            summary="Exceptions to a document in the last 90 days (staff)")  # fmt: skip
def list_exceptions(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    doc = staff_document(request, document_id)
    return [exception_out(e) for e in queries.recent_exceptions(doc)]


class ExceptionIn(Input):
    ticket: int = Field(ge=1, le=MAX_ID)
    why: str = Field(max_length=20_000)
    instead: str = Field(max_length=20_000)
    within_autonomy: bool
    approver: int | None = Field(default=None, ge=1, le=MAX_ID)


@router.post("/documents/{document_id}/exceptions", response={201: ExceptionOut},
             summary="Record an exception to a policy on a ticket")  # fmt: skip
def create_exception(
    request: HttpRequest, document_id: int, payload: ExceptionIn
) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    doc = path_document(request, document_id)
    ticket = ticket_queries.get_ticket(scope_for(me), payload.ticket, field="ticket")
    approver = None
    if payload.approver is not None:
        approver = Person.objects.filter(pk=payload.approver, staff_role__gt="").first()
        if approver is None:
            raise NotFound(f"There is no staff member {payload.approver}.", field="approver")
    e = actions.record_exception(
        me,
        ticket,
        doc,
        why=payload.why,
        instead=payload.instead,
        within_autonomy=payload.within_autonomy,
        approver=approver,
    )
    e = PolicyException.objects.select_related("agent", "approver", "document").get(pk=e.pk)
    return HttpStatus(201, exception_out(e))


class CitationOut(Schema):
    id: int
    ticket: int
    subject: str
    clause: str
    version: int | None
    person: PersonRef
    created_at: datetime


@router.get("/documents/{document_id}/citations", response=list[CitationOut],
            summary="Tickets citing a document (staff; tickets you can see)")  # fmt: skip
def list_citations(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    doc = staff_document(request, document_id)
    visible = ticket_queries.visible_tickets(scope_for(caller(request))).values("pk")
    rows = queries.citing(doc).filter(ticket_id__in=visible).select_related("version")[:200]
    return [{"id": c.pk, "ticket": c.ticket_id, "subject": c.ticket.subject, "clause": c.clause,
             "version": c.version.number if c.version else None,
             "person": {"id": c.person_id, "name": c.person.display_name},
             "created_at": c.created_at} for c in rows]  # fmt: skip


class CitationIn(Input):
    ticket: int = Field(ge=1, le=MAX_ID)
    clause: str = Field(default="", max_length=200)


@router.post("/documents/{document_id}/citations", response={201: CitationOut},
             summary="Cite a document (and a clause) on a ticket")  # fmt: skip
def create_citation(
    request: HttpRequest, document_id: int, payload: CitationIn
) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    doc = path_document(request, document_id)
    ticket = ticket_queries.get_ticket(scope_for(me), payload.ticket, field="ticket")
    c = actions.cite(me, ticket, doc, clause=payload.clause)
    return HttpStatus(201, {
        "id": c.pk, "ticket": ticket.pk, "subject": ticket.subject, "clause": c.clause,
        "version": doc.published.number if doc.published else None,
        "person": {"id": me.pk, "name": me.display_name}, "created_at": c.created_at,
    })  # fmt: skip
