"""The library over HTTP: documents, their versions, redlines, reviews, sign-offs,
acknowledgements, exceptions and citations (`/documents`), and change proposals
(`/proposals`). Reads are scoped as in `policies.queries` (404, never 403)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Organisation, Person, Team
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries, render
from rapport.policies.models import (
    Document,
    Kind,
    PolicyException,
    Proposal,
    ReadTask,
    Status,
    Version,
)
from rapport.tickets import queries as ticket_queries

router = Router(tags=["policies"])

KindName = Literal["policy", "procedure", "article"]
StatusName = Literal["draft", "in_review", "approved", "published", "retired"]


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class TeamRef(Schema):
    id: int
    name: str


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


def _with_lists(qs: Any) -> Any:
    return qs.prefetch_related("tags", "audience_teams", "client_orgs")


def document_out(d: Document, *, staff: bool) -> dict[str, Any]:
    return {
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
    scope = scope_for(_me(request))
    qs = queries.library(
        scope, q=filters.q, kind=filters.kind or "", status=filters.status or "",
        tag=filters.tag, owner=filters.owner, team=filters.audience_team,
    )  # fmt: skip
    rows, cursor = paginate(
        qs, field="title", descending=False, cursor=filters.cursor, limit=filters.limit,
        is_text=True, fetch=lambda q: _with_lists(q.select_related("owner", "team", "published")),
    )  # fmt: skip
    return {"items": [document_out(d, staff=scope.is_staff) for d in rows], "next_cursor": cursor}


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


def _team(pk: int, field: str) -> Team:
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise NotFound(f"There is no team {pk}.", field=field)
    return team


@router.post("/documents", response={201: DocumentOut}, summary="Write a new document (staff)")
def create_document(request: HttpRequest, payload: DocumentIn) -> HttpStatus[dict[str, Any]]:
    me = _me(request)
    owner = me
    if payload.owner is not None:
        found = Person.objects.filter(pk=payload.owner).first()
        if found is None:
            raise NotFound(f"There is no person {payload.owner}.", field="owner")
        owner = found
    if not scope_for(me).is_staff:
        raise PermissionDenied("Only staff can write documents.")
    teams = [_team(pk, "audience_teams") for pk in payload.audience_teams]
    orgs = list(Organisation.objects.filter(pk__in=payload.client_orgs))
    if len(orgs) != len(set(payload.client_orgs)):
        raise NotFound("An organisation in client_orgs does not exist.", field="client_orgs")
    doc = actions.create_document(
        me, kind=payload.kind, title=payload.title, body=payload.body, owner=owner,
        team=_team(payload.team, "team"), tags=payload.tags, all_staff=payload.all_staff,
        audience_teams=teams, audience_roles=payload.audience_roles,
        client_audience=payload.client_audience, client_orgs=orgs, is_public=payload.is_public,
    )  # fmt: skip
    doc = _with_lists(queries.visible_documents(scope_for(me))).get(pk=doc.pk)
    return HttpStatus(201, document_out(doc, staff=True))


def _document(request: HttpRequest, document_id: int) -> Document:
    return queries.get_document(scope_for(_me(request)), document_id)


@router.get("/documents/{document_id}", response=DocumentOut, summary="One document")
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    doc = _with_lists(queries.visible_documents(scope)).filter(pk=document_id).first()
    if doc is None:
        raise NotFound(f"There is no document {document_id} you can see.")
    return document_out(doc, staff=scope.is_staff)


class VersionOut(Schema):
    number: int
    title: str
    status: str
    change_summary: str
    author: PersonRef
    must_read: bool
    returned_reason: str
    created_at: datetime
    published_at: datetime | None
    proposal: int | None


class ReviewOut(Schema):
    id: int
    reviewer: PersonRef
    answer: str
    customer_view: str
    employee_view: str
    company_view: str
    partner_view: str
    autonomy: str
    case_by_case: bool
    new_hire_can_follow: bool | None
    created_at: datetime


class SignOffOut(Schema):
    id: int
    position: int
    label: str
    person: PersonRef
    decision: str
    comment: str
    created_at: datetime


class QuestionOut(Schema):
    text: str
    options: list[str]


class VersionDetail(VersionOut):
    body_md: str
    body_html: str
    reviews: list[ReviewOut]
    signoffs: list[SignOffOut]
    questions: list[QuestionOut]
    gate: str | None = Field(description="Why it may not be approved yet (null: it may)")


def version_out(v: Version) -> dict[str, Any]:
    return {
        "number": v.number, "title": v.title, "status": v.status,
        "change_summary": v.change_summary,
        "author": {"id": v.author_id, "name": v.author.display_name}, "must_read": v.must_read,
        "returned_reason": v.returned_reason, "created_at": v.created_at,
        "published_at": v.published_at, "proposal": v.proposal_id,
    }  # fmt: skip


def version_detail(v: Version, *, staff: bool) -> dict[str, Any]:
    reviews = list(v.reviews.select_related("reviewer")) if staff else []
    signoffs = list(v.signoffs.select_related("person", "approver")) if staff else []
    return {
        **version_out(v), "body_md": v.body_md, "body_html": v.body_html,
        "reviews": [{
            "id": r.pk, "reviewer": {"id": r.reviewer_id, "name": r.reviewer.display_name},
            "answer": r.answer, "customer_view": r.customer_view,
            "employee_view": r.employee_view, "company_view": r.company_view,
            "partner_view": r.partner_view, "autonomy": r.autonomy,
            "case_by_case": r.case_by_case, "new_hire_can_follow": r.new_hire_can_follow,
            "created_at": r.created_at} for r in reviews],
        "signoffs": [{
            "id": s.pk, "position": s.approver.position, "label": s.approver.label,
            "person": {"id": s.person_id, "name": s.person.display_name},
            "decision": s.decision, "comment": s.comment, "created_at": s.created_at}
            for s in signoffs],
        "questions": [{"text": q.text, "options": q.options} for q in v.questions.all()],
        "gate": actions.gate_problem(v) if staff else None,
    }  # fmt: skip


@router.get("/documents/{document_id}/versions", response=list[VersionOut],
            summary="The versions of a document you may see, newest first")  # fmt: skip
def list_versions(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    scope = scope_for(_me(request))
    doc = queries.get_document(scope, document_id)
    return [version_out(v) for v in queries.visible_versions(scope, doc)]


@router.get("/documents/{document_id}/versions/{version_number}", response=VersionDetail,
            summary="One version with its text, reviews, sign-offs and check")  # fmt: skip
def get_version(request: HttpRequest, document_id: int, version_number: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    doc = queries.get_document(scope, document_id)
    version = queries.get_version(scope, doc, version_number)
    return version_detail(version, staff=scope.is_staff)


class EditIn(Input):
    body: str = Field(max_length=200_000, description="Markdown")
    change_summary: str = Field(max_length=500)
    title: str | None = Field(default=None, max_length=200)


@router.post("/documents/{document_id}/versions", response={201: VersionOut},
             summary="Edit: a new draft version (or the current draft changed)")  # fmt: skip
def edit(request: HttpRequest, document_id: int, payload: EditIn) -> HttpStatus[dict[str, Any]]:
    me = _me(request)
    version = actions.edit(
        me, _document(request, document_id), body=payload.body,
        change_summary=payload.change_summary, title=payload.title,
    )  # fmt: skip
    return HttpStatus(201, version_out(version))


class RedlineParams(Schema):
    base: int | None = Field(
        default=None, ge=1, le=100_000, alias="from", description="Default: the one before `to`"
    )
    to: int | None = Field(default=None, ge=1, le=100_000, description="Default: the newest")


class RedlineOut(Schema):
    base: int = Field(serialization_alias="from")
    to: int
    html: str = Field(description="The newer text with <del> and <ins> marking the changes")


@router.get("/documents/{document_id}/redline", response=RedlineOut, by_alias=True,
            summary="Word-level redline between two versions")  # fmt: skip
def redline(request: HttpRequest, document_id: int, params: Query[RedlineParams]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    doc = queries.get_document(scope, document_id)
    newest = queries.visible_versions(scope, doc).first()
    to = params.to or (newest.number if newest else 1)
    new = queries.get_version(scope, doc, to)
    old = queries.get_version(scope, doc, params.base or max(1, to - 1))
    return {"base": old.number, "to": new.number, "html": render.redline(old.body_md, new.body_md)}


def _version(request: HttpRequest, document_id: int, version_number: int) -> Version:
    scope = scope_for(_me(request))
    return queries.get_version(scope, queries.get_document(scope, document_id), version_number)


class TransitionIn(Input):
    action: Literal["submit", "approve", "publish"]
    must_read: bool = False
    read_within_days: int = Field(default=14, ge=1, le=365)


@router.post("/documents/{document_id}/versions/{version_number}/transition", response=VersionOut,
             summary="Send to review, approve (no sign-off list) or publish")  # fmt: skip
def transition(
    request: HttpRequest, document_id: int, version_number: int, payload: TransitionIn
) -> dict[str, Any]:
    me = _me(request)
    version = _version(request, document_id, version_number)
    if payload.action == "submit":
        version = actions.submit(me, version)
    elif payload.action == "approve":
        version = actions.approve(me, version)
    else:
        version = actions.publish(
            me, version, must_read=payload.must_read, read_within_days=payload.read_within_days
        )
    version.refresh_from_db()
    return version_out(version)


class ReviewIn(Input):
    answer: Literal["yes", "partly", "no"]
    customer_view: str = Field(default="", max_length=20_000)
    employee_view: str = Field(default="", max_length=20_000)
    company_view: str = Field(default="", max_length=20_000)
    partner_view: str = Field(default="", max_length=20_000)
    autonomy: str = Field(default="", max_length=20_000)
    case_by_case: bool = False
    new_hire_can_follow: bool | None = None


@router.post(
    "/documents/{document_id}/versions/{version_number}/reviews",
    response={201: ReviewOut},
    summary="Record the customer-factor review",
)
def review(
    request: HttpRequest, document_id: int, version_number: int, payload: ReviewIn
) -> HttpStatus[dict[str, Any]]:
    me = _me(request)
    version = _version(request, document_id, version_number)
    r = actions.record_review(me, version, **payload.dict())
    return HttpStatus(201, {
        "id": r.pk, "reviewer": {"id": me.pk, "name": me.display_name}, "answer": r.answer,
        "customer_view": r.customer_view, "employee_view": r.employee_view,
        "company_view": r.company_view, "partner_view": r.partner_view, "autonomy": r.autonomy,
        "case_by_case": r.case_by_case, "new_hire_can_follow": r.new_hire_can_follow,
        "created_at": r.created_at,
    })  # fmt: skip


class SignOffIn(Input):
    decision: Literal["approved", "rejected"]
    comment: str = Field(default="", max_length=20_000)


@router.post(
    "/documents/{document_id}/versions/{version_number}/signoffs",
    response={201: SignOffOut},
    summary="Sign off as the next approver in order",
)
def sign_off(
    request: HttpRequest, document_id: int, version_number: int, payload: SignOffIn
) -> HttpStatus[dict[str, Any]]:
    me = _me(request)
    version = _version(request, document_id, version_number)
    s = actions.sign_off(me, version, decision=payload.decision, comment=payload.comment)
    return HttpStatus(201, {
        "id": s.pk, "position": s.approver.position, "label": s.approver.label,
        "person": {"id": me.pk, "name": me.display_name}, "decision": s.decision,
        "comment": s.comment, "created_at": s.created_at,
    })  # fmt: skip


class AcknowledgeIn(Input):
    answers: list[int] = Field(default_factory=list, max_length=5)


class ReadTaskOut(Schema):
    document: int
    version: int
    title: str
    assigned_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None


def read_out(t: ReadTask) -> dict[str, Any]:
    return {"document": t.version.document_id, "version": t.version.number,
            "title": t.version.title, "assigned_at": t.assigned_at, "due_at": t.due_at,
            "acknowledged_at": t.acknowledged_at}  # fmt: skip


@router.post("/documents/{document_id}/versions/{version_number}/acknowledge", response=ReadTaskOut,
             summary="Acknowledge reading a must-read version (passing its check)")  # fmt: skip
def acknowledge(
    request: HttpRequest, document_id: int, version_number: int, payload: AcknowledgeIn
) -> dict[str, Any]:
    me = _me(request)
    task = actions.acknowledge(me, _version(request, document_id, version_number), payload.answers)
    return read_out(ReadTask.objects.select_related("version").get(pk=task.pk))


class AckSummary(Schema):
    version: int
    assigned: int
    acknowledged: int
    overdue: int


@router.get("/documents/{document_id}/acknowledgements", response=list[AckSummary],
            summary="Read acknowledgements per must-read version (staff)")  # fmt: skip
def acknowledgements(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    scope = scope_for(_me(request))
    doc = queries.get_document(scope, document_id)
    if not scope.is_staff:
        raise NotFound(f"There is no document {document_id} you can see.")
    now = clock.now()
    rows = (
        doc.versions.filter(must_read=True)
        .annotate(
            assigned=Count("read_tasks"),
            acknowledged=Count("read_tasks", filter=Q(read_tasks__acknowledged_at__isnull=False)),
            overdue=Count("read_tasks", filter=Q(read_tasks__acknowledged_at__isnull=True,
                                                 read_tasks__due_at__lt=now)),
        )
        .order_by("-number")
    )  # fmt: skip
    return [{"version": v.number, "assigned": v.assigned, "acknowledged": v.acknowledged,
             "overdue": v.overdue} for v in rows]  # fmt: skip


class ExceptionOut(Schema):
    id: int
    ticket: int
    agent: PersonRef
    why: str
    instead: str
    within_autonomy: bool
    status: str
    approver: PersonRef | None
    proposal: int | None
    created_at: datetime


def exception_out(e: PolicyException) -> dict[str, Any]:
    return {
        "id": e.pk, "ticket": e.ticket_id,
        "agent": {"id": e.agent_id, "name": e.agent.display_name}, "why": e.why,
        "instead": e.instead, "within_autonomy": e.within_autonomy, "status": e.status,
        "approver": {"id": e.approver_id, "name": e.approver.display_name} if e.approver else None,
        "proposal": e.proposal_id, "created_at": e.created_at,
    }  # fmt: skip


def _staff_document(request: HttpRequest, document_id: int) -> Document:
    scope = scope_for(_me(request))
    doc = queries.get_document(scope, document_id)
    if not scope.is_staff:  # tickets and exceptions are staff knowledge
        raise NotFound(f"There is no document {document_id} you can see.")
    return doc


@router.get("/documents/{document_id}/exceptions", response=list[ExceptionOut],
            summary="Exceptions to a document in the last 90 days (staff)")  # fmt: skip
def list_exceptions(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    doc = _staff_document(request, document_id)
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
    me = _me(request)
    doc = _document(request, document_id)
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
    e = PolicyException.objects.select_related("agent", "approver").get(pk=e.pk)
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
    doc = _staff_document(request, document_id)
    visible = ticket_queries.visible_tickets(scope_for(_me(request))).values("pk")
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
    me = _me(request)
    doc = _document(request, document_id)
    ticket = ticket_queries.get_ticket(scope_for(me), payload.ticket, field="ticket")
    c = actions.cite(me, ticket, doc, clause=payload.clause)
    return HttpStatus(201, {
        "id": c.pk, "ticket": ticket.pk, "subject": ticket.subject, "clause": c.clause,
        "version": doc.published.number if doc.published else None,
        "person": {"id": me.pk, "name": me.display_name}, "created_at": c.created_at,
    })  # fmt: skip


# --- proposals -------------------------------------------------------------


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
    scope = scope_for(_me(request))
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
    me = _me(request)
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
    scope = scope_for(_me(request))
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
    me = _me(request)
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


__all__ = ["Kind", "Status", "router"]
