"""The library and its documents: list with filters, write, read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Organisation, Person
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.api._common import (
    KindName,
    StatusName,
    TeamRef,
    caller,
    editable_document,
    get_team,
    router,
)
from rapport.policies.models import (
    Approver,
    Document,
    Kind,
)


class ApproverOut(Schema):
    position: int
    person: PersonRef
    label: str


class DeflectionOut(Schema):
    opened: int
    deflected: int
    rate: float | None = Field(description="deflected / opened, null before any opening")


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    owner: PersonRef
    team: TeamRef
    tags: list[str]
    all_staff: bool
    audience_teams: list[int]
    audience_roles: list[str]
    client_audience: str
    client_orgs: list[int]
    is_public: bool
    outside_customer_service: bool
    outside_reason: str
    review_months: int
    next_review_at: datetime | None
    published_version: int | None
    updated_at: datetime
    approvers: list[ApproverOut] = Field(description="The ordered sign-off list (staff)")
    deflection: DeflectionOut | None = Field(
        description="Articles (staff): opened from the new-request form, and how often the "
        "reader then left without raising the request"
    )


def _with_lists(qs: Any) -> Any:
    return qs.prefetch_related(
        "tags", "audience_teams", "client_orgs",
        Prefetch("approvers", queryset=Approver.objects.select_related("person")),
    )  # fmt: skip


def deflection_out(d: Document, figures: dict[int, dict[str, int]]) -> dict[str, Any] | None:
    if d.kind != Kind.ARTICLE:
        return None
    row = figures.get(d.pk, {"opened": 0, "deflected": 0})
    rate = round(row["deflected"] / row["opened"], 3) if row["opened"] else None
    return {**row, "rate": rate}


def document_out(
    d: Document, *, staff: bool, deflections: dict[int, dict[str, int]] | None = None
) -> dict[str, Any]:
    return {
        "approvers": [
            {"position": a.position, "person": {"id": a.person_id, "name": a.person.display_name},
             "label": a.label} for a in d.approvers.all()
        ] if staff else [],
        "deflection": deflection_out(d, deflections or {}) if staff else None,
        "id": d.pk, "kind": d.kind, "title": d.title, "status": d.status,
        "owner": {"id": d.owner_id, "name": d.owner.display_name},
        "team": {"id": d.team_id, "name": d.team.name},
        "tags": [t.name for t in d.tags.all()],
        # Who else reads it is staff knowledge.
        "all_staff": d.all_staff,
        "audience_teams": [t.pk for t in d.audience_teams.all()] if staff else [],
        "audience_roles": d.audience_roles if staff else [],
        "client_audience": d.client_audience,
        "client_orgs": [o.pk for o in d.client_orgs.all()] if staff else [],
        "is_public": d.is_public,
        "outside_customer_service": d.outside_customer_service,
        "outside_reason": d.outside_reason,
        "review_months": d.review_months,
        "next_review_at": d.next_review_at if staff else None,
        "published_version": d.published.number if d.published else None,
        "updated_at": d.updated_at,
    }  # fmt: skip


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_cursor: str | None


class DocumentFilters(Schema):
    q: str = Field(default="", max_length=200, description="Words of the title, tags or text")
    kind: KindName | None = None
    status: StatusName | None = None
    tag: str = Field(default="", max_length=64)
    owner: int | None = Field(default=None, ge=1, le=MAX_ID)
    audience_team: int | None = Field(default=None, ge=1, le=MAX_ID)
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


@router.get("/documents", response=DocumentPage, summary="The library: documents you can see")
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> dict[str, Any]:
    scope = scope_for(caller(request))
    qs = queries.library(
        scope, q=filters.q, kind=filters.kind or "", status=filters.status or "",
        tag=filters.tag, owner=filters.owner, team=filters.audience_team,
    )  # fmt: skip
    rows, cursor = paginate(
        qs, field="title", descending=False, cursor=filters.cursor, limit=filters.limit,
        is_text=True, fetch=lambda q: _with_lists(q.select_related("owner", "team", "published")),
    )  # fmt: skip
    figures = queries.deflections([d.pk for d in rows if d.kind == Kind.ARTICLE])
    items = [document_out(d, staff=scope.is_staff, deflections=figures) for d in rows]
    return {"items": items, "next_cursor": cursor}


class DocumentIn(Input):
    kind: KindName
    title: str = Field(max_length=200)
    body: str = Field(max_length=200_000, description="Markdown")
    owner: int | None = Field(default=None, ge=1, le=MAX_ID, description="Default: you")
    team: int = Field(ge=1, le=MAX_ID, description="The owning team")
    tags: list[str] = Field(default_factory=list, max_length=20)
    all_staff: bool = True
    audience_teams: list[int] = Field(default_factory=list, max_length=100)
    audience_roles: list[Literal["agent", "manager", "admin"]] = Field(default_factory=list)
    client_audience: Literal["none", "all", "chosen"] = "none"
    client_orgs: list[int] = Field(default_factory=list, max_length=100)
    is_public: bool = False
    review_months: int | None = Field(
        default=None, ge=1, le=60, description="Default: 12 for policies, 6 otherwise"
    )
    exception_threshold: int = Field(
        default=3, ge=1, le=1000, description="More exceptions in 30 days open a proposal"
    )


def _orgs(pks: list[int]) -> list[Organisation]:
    orgs = list(Organisation.objects.filter(pk__in=pks))
    if len(orgs) != len(set(pks)):
        raise NotFound("An organisation in client_orgs does not exist.", field="client_orgs")
    return orgs


@router.post("/documents", response={201: DocumentOut}, summary="Write a new document (staff)")
def create_document(request: HttpRequest, payload: DocumentIn) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    owner = me
    if payload.owner is not None:
        found = Person.objects.filter(pk=payload.owner).first()
        if found is None:
            raise NotFound(f"There is no person {payload.owner}.", field="owner")
        owner = found
    if not scope_for(me).is_staff:
        raise PermissionDenied("Only staff can write documents.")
    teams = [get_team(pk, "audience_teams") for pk in payload.audience_teams]
    orgs = _orgs(payload.client_orgs)
    doc = actions.create_document(
        me, kind=payload.kind, title=payload.title, body=payload.body, owner=owner,
        team=get_team(payload.team, "team"), tags=payload.tags, all_staff=payload.all_staff,
        audience_teams=teams, audience_roles=payload.audience_roles,
        client_audience=payload.client_audience, client_orgs=orgs, is_public=payload.is_public,
        review_months=payload.review_months, exception_threshold=payload.exception_threshold,
    )  # fmt: skip
    doc = _with_lists(queries.visible_documents(scope_for(me))).get(pk=doc.pk)
    return HttpStatus(201, document_out(doc, staff=True))


@router.get("/documents/{document_id}", response=DocumentOut, summary="One document")
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    scope = scope_for(caller(request))
    doc = _with_lists(queries.visible_documents(scope)).filter(pk=document_id).first()
    if doc is None:
        raise NotFound(f"There is no document {document_id} you can see.")
    return document_out(doc, staff=scope.is_staff, deflections=queries.deflections([doc.pk]))


def _reread(request: HttpRequest, doc: Document) -> dict[str, Any]:
    fresh = _with_lists(queries.visible_documents(scope_for(caller(request)))).get(pk=doc.pk)
    return document_out(fresh, staff=True, deflections=queries.deflections([doc.pk]))


class AudienceIn(Input):
    all_staff: bool = Field(description="Everyone on staff; else the teams and roles named")
    audience_teams: list[int] = Field(default_factory=list, max_length=100)
    audience_roles: list[Literal["agent", "manager", "admin"]] = Field(default_factory=list)
    client_audience: Literal["none", "all", "chosen"] = Field(
        default="none", description="Articles only: no clients, all clients, or client_orgs"
    )
    client_orgs: list[int] = Field(default_factory=list, max_length=100)
    is_public: bool = Field(default=False, description="Articles only: readable without sign-in")
    tags: list[str] | None = Field(default=None, max_length=20, description="Null: unchanged")


@router.put("/documents/{document_id}/audience", response=DocumentOut,
            summary="Who the document is for: staff teams and roles, clients (owner)")  # fmt: skip
def set_audience(request: HttpRequest, document_id: int, payload: AudienceIn) -> dict[str, Any]:
    doc = editable_document(request, document_id)
    actions.set_audience(
        caller(request), doc, all_staff=payload.all_staff,
        audience_teams=[get_team(pk, "audience_teams") for pk in payload.audience_teams],
        audience_roles=payload.audience_roles, client_audience=payload.client_audience,
        client_orgs=_orgs(payload.client_orgs), is_public=payload.is_public, tags=payload.tags,
    )  # fmt: skip
    return _reread(request, doc)


class ApproverIn(Schema):
    person: int = Field(ge=1, le=MAX_ID)
    label: str = Field(default="", max_length=80, description="e.g. Team lead, Legal")


class ApproversIn(Input):
    approvers: list[ApproverIn] = Field(max_length=10, description="In the order they sign")


@router.put("/documents/{document_id}/approvers", response=DocumentOut,
            summary="The ordered sign-off list; empty: the owner approves (owner)")  # fmt: skip
def set_approvers(request: HttpRequest, document_id: int, payload: ApproversIn) -> dict[str, Any]:
    doc = editable_document(request, document_id)
    wanted = [a.person for a in payload.approvers]
    people = {p.pk: p for p in Person.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in people]
    if missing:
        raise NotFound(f"There is no person {missing[0]}.", field="approvers")
    steps = [(people[a.person], a.label) for a in payload.approvers]
    actions.set_approvers(caller(request), doc, steps)
    return _reread(request, doc)


class OutsideIn(Input):
    outside: bool = Field(description="Outside customer service (safety, benefits, ordering)")
    reason: str = Field(default="", max_length=20_000, description="Required when outside")


@router.put("/documents/{document_id}/outside-customer-service", response=DocumentOut,
            summary="Mark outside customer service, exempt from the gate (owner)")  # fmt: skip
def set_outside(request: HttpRequest, document_id: int, payload: OutsideIn) -> dict[str, Any]:
    doc = editable_document(request, document_id)
    actions.mark_outside_customer_service(
        caller(request), doc, outside=payload.outside, reason=payload.reason
    )
    return _reread(request, doc)


class CycleIn(Input):
    action: Literal["start_draft", "reconfirm", "retire"] = Field(
        description="The periodic review's two answers (re-confirm the published version, "
        "or start a new draft from it), or retire the document"
    )
    note: str = Field(default="", max_length=20_000)


@router.post("/documents/{document_id}/cycle", response=DocumentOut,
             summary="Re-confirm on review, start a new draft, or retire (owner)")  # fmt: skip
def cycle(request: HttpRequest, document_id: int, payload: CycleIn) -> dict[str, Any]:
    doc = editable_document(request, document_id)
    me = caller(request)
    if payload.action == "start_draft":
        actions.start_draft(me, doc)
    elif payload.action == "reconfirm":
        actions.reconfirm(me, doc, note=payload.note)
    else:
        actions.retire(me, doc, reason=payload.note)
    return _reread(request, doc)
