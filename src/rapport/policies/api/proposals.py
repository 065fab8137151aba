"""Change proposals (`/proposals`): anyone who sees a document may propose a change;
its owner accepts, declines or merges."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import Invalid, NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.api._common import (
    caller,
    router,
)
from rapport.policies.models import (
    Proposal,
)
from rapport.tickets import queries as ticket_queries


class ProposalOut(Schema):
    id: int
    ticket: int
    document: int
    document_title: str
    version: int | None
    proposer: PersonRef
    clause: str
    what_is_wrong: str
    why: str
    proposed_fix: str
    linked_tickets: list[int]
    status: str
    decision_reason: str
    merged_into: int | None
    automatic: bool
    created_at: datetime
    decided_at: datetime | None


def proposal_out(p: Proposal, *, staff: bool) -> dict[str, Any]:
    return {
        "id": p.pk, "ticket": p.ticket_id, "document": p.document_id,
        "document_title": p.document.title,
        "version": p.version.number if p.version else None,
        "proposer": {"id": p.proposer_id, "name": p.proposer.display_name},
        "clause": p.clause, "what_is_wrong": p.what_is_wrong, "why": p.why,
        "proposed_fix": p.proposed_fix,
        # Other tickets are staff knowledge; a client proposer sees only what it linked.
        "linked_tickets": [t.pk for t in p.linked_tickets.all()] if staff else [],
        "status": p.status, "decision_reason": p.decision_reason,
        "merged_into": p.merged_into_id, "automatic": p.automatic, "created_at": p.created_at,
        "decided_at": p.decided_at,
    }  # fmt: skip


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None


class ProposalFilters(Schema):
    document: int | None = Field(default=None, ge=1, le=MAX_ID)
    status: Literal["open", "accepted", "declined", "merged"] | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


def _proposal_joins(qs: Any) -> Any:
    return qs.select_related("document", "proposer", "version").prefetch_related(
        Prefetch("linked_tickets")
    )


@router.get("/proposals", response=ProposalPage, summary="Change proposals you can see")
def list_proposals(request: HttpRequest, filters: Query[ProposalFilters]) -> dict[str, Any]:
    scope = scope_for(caller(request))
    qs = queries.visible_proposals(scope)
    if filters.document:
        qs = qs.filter(document_id=filters.document)
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, cursor = paginate(
        qs,
        field="created_at",
        descending=True,
        cursor=filters.cursor,
        limit=filters.limit,
        is_datetime=True,
        fetch=_proposal_joins,
    )
    return {"items": [proposal_out(p, staff=scope.is_staff) for p in rows],
            "next_cursor": cursor}  # fmt: skip


class ProposalIn(Input):
    document: int = Field(ge=1, le=MAX_ID)
    what_is_wrong: str = Field(max_length=20_000)
    why: str = Field(max_length=20_000)
    proposed_fix: str = Field(max_length=20_000)
    clause: str = Field(default="", max_length=200)
    tickets: list[int] = Field(default_factory=list, max_length=20)


@router.post("/proposals", response={201: ProposalOut}, summary="Propose a change to a document")
def create_proposal(request: HttpRequest, payload: ProposalIn) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    scope = scope_for(me)
    doc = queries.get_document(scope, payload.document) if payload.document else None
    if doc is None:  # pragma: no cover - get_document raises
        raise Invalid("Name a document.", field="document")
    tickets = [ticket_queries.get_ticket(scope, n, field="tickets") for n in payload.tickets]
    p = actions.file_proposal(
        me, doc, what_is_wrong=payload.what_is_wrong, why=payload.why,
        proposed_fix=payload.proposed_fix, clause=payload.clause, tickets=tickets,
    )  # fmt: skip
    p = _proposal_joins(Proposal.objects).get(pk=p.pk)
    return HttpStatus(201, proposal_out(p, staff=scope.is_staff))


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One change proposal")
def get_proposal(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    scope = scope_for(caller(request))
    p = _proposal_joins(queries.visible_proposals(scope)).filter(pk=proposal_id).first()
    if p is None:
        raise NotFound(f"There is no proposal {proposal_id} you can see.")
    return proposal_out(p, staff=scope.is_staff)


class DecisionIn(Input):
    decision: Literal["accept", "decline", "merge"]
    reason: str = Field(default="", max_length=20_000)
    into: int | None = Field(default=None, ge=1, le=MAX_ID, description="Proposal to merge into")


@router.post("/proposals/{proposal_id}/decision", response=ProposalOut,
             summary="Accept (a new draft starts), decline with a reason, or merge")  # fmt: skip
def decide(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> dict[str, Any]:
    me = caller(request)
    scope = scope_for(me)
    p = queries.get_proposal(scope, proposal_id)
    if payload.decision == "accept":
        actions.accept(me, p)
    elif payload.decision == "decline":
        actions.decline(me, p, reason=payload.reason)
    else:
        if payload.into is None:
            raise Invalid("Name the proposal to merge into.", field="into")
        into = queries.get_proposal(scope, payload.into)
        actions.merge(me, p, into)
    p = _proposal_joins(Proposal.objects).get(pk=p.pk)
    return proposal_out(p, staff=True)
