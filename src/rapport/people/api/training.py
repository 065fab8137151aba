"""Training plans and assignments over HTTP (scenarios, candidates and assessments are
in `people.api.hiring`). Reads are scoped as in `people.training_queries` (404, never 403)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Person, Team
from rapport.directory.queries import scope_for
from rapport.people import training_queries as queries
from rapport.people.actions import training
from rapport.people.api.hiring import PageFilters
from rapport.people.models import Assignment
from rapport.policies import queries as policy_queries

router = Router(tags=["training"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


# --- training plans and assignments -----------------------------------------


class ItemIn(Input):
    kind: Literal["document", "scenario", "session"]
    title: str = Field(default="", max_length=200)
    document: int | None = Field(default=None, ge=1, le=MAX_ID)
    scenario: int | None = Field(default=None, ge=1, le=MAX_ID)
    due_days: int = Field(default=14, ge=0, le=365)


class PlanIn(Input):
    name: str = Field(max_length=200)
    kind: Literal["onboarding", "recurring"]
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    items: list[ItemIn] = Field(min_length=1, max_length=50)
    recertify_days: int | None = Field(default=None, ge=1, le=3650)
    pass_mark: float = Field(default=3.0, ge=1, le=5)


class PlanItemOut(Schema):
    kind: str
    title: str
    document: int | None
    scenario: int | None
    due_days: int


class PlanOut(Schema):
    id: int
    name: str
    kind: str
    team: int | None
    recertify_days: int | None
    pass_mark: float
    items: list[PlanItemOut]


def _plan_out(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "team": p.team_id,
            "recertify_days": p.recertify_days, "pass_mark": p.pass_mark,
            "items": [{"kind": i.kind, "title": i.title, "document": i.document_id,
                       "scenario": i.scenario_id, "due_days": i.due_days}
                      for i in p.items.all()]}  # fmt: skip


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


@router.get("/training/plans", response=PlanPage, summary="Training plans (staff)")
def list_plans(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    if not scope.is_staff:
        raise NotFound("There are no training plans for you.")
    rows, cursor = paginate(queries.plans(scope), field="id", descending=True,
                            cursor=filters.cursor, limit=filters.limit)  # fmt: skip
    return {"items": [_plan_out(p) for p in rows], "next_cursor": cursor}


@router.post("/training/plans", response={201: PlanOut}, summary="Write a training plan")
def create_plan(request: HttpRequest, body: PlanIn) -> HttpStatus:
    me = _me(request)
    scope = scope_for(me)
    if not scope.is_staff:
        raise NotFound("There are no training plans for you.")
    team = Team.objects.filter(pk=body.team).first() if body.team else None
    if body.team and team is None:
        raise NotFound(f"There is no team {body.team}.", field="team")
    items = []
    for i, item in enumerate(body.items):
        document = scenario = None
        if item.document:
            try:
                document = policy_queries.get_document(scope, item.document)
            except NotFound as exc:
                raise NotFound(str(exc.detail), field=f"items.{i}.document") from exc
        if item.scenario:
            scenario = queries.get_scenario(scope, item.scenario)
        items.append({"kind": item.kind, "title": item.title, "document": document,
                      "scenario": scenario, "due_days": item.due_days})  # fmt: skip
    plan = training.create_plan(
        me,
        name=body.name,
        kind=body.kind,
        team=team,
        items=items,
        recertify_days=body.recertify_days,
        pass_mark=body.pass_mark,
    )
    return HttpStatus(201, _plan_out(plan))


class AssignIn(Input):
    people: list[int] = Field(min_length=1, max_length=20000)
    start: datetime | None = Field(
        default=None, ge=datetime(2000, 1, 1).astimezone(), le=datetime(2100, 1, 1).astimezone()
    )


class AssignOut(Schema):
    assigned: int


@router.post("/training/plans/{plan_id}/assign", response=AssignOut,
             summary="Assign a plan to staff (each item once per person)")  # fmt: skip
def assign_plan(request: HttpRequest, body: AssignIn, plan_id: int) -> dict[str, Any]:
    me = _me(request)
    plan = queries.plans(scope_for(me)).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"There is no plan {plan_id}.")
    return {"assigned": training.assign_plan(me, plan, body.people, start=body.start)}


class AssignmentOut(Schema):
    id: int
    person: PersonRef
    trigger: str
    kind: str
    title: str
    document: int | None
    scenario: int | None
    assigned_at: datetime
    due_at: datetime
    completed_at: datetime | None
    overdue: bool
    evidence: str
    evidence_note: str


def _assignment_out(a: Assignment) -> dict[str, Any]:
    return {"id": a.pk, "person": {"id": a.person_id, "name": a.person.display_name},
            "trigger": a.trigger, "kind": a.kind, "title": a.title, "document": a.document_id,
            "scenario": a.scenario_id, "assigned_at": a.assigned_at, "due_at": a.due_at,
            "completed_at": a.completed_at,
            "overdue": a.completed_at is None and a.due_at < clock.now(),
            "evidence": a.evidence, "evidence_note": a.evidence_note}  # fmt: skip


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    next_cursor: str | None


class AssignmentFilters(PageFilters):
    person: int | None = Field(default=None, ge=1, le=MAX_ID)
    state: Literal["open", "overdue", "complete"] | None = None


@router.get(
    "/training/assignments",
    response=AssignmentPage,
    summary="Training assignments: yours, your team's as lead, all for managers",
)
def list_assignments(request: HttpRequest, filters: Query[AssignmentFilters]) -> dict[str, Any]:
    qs = queries.assignments(scope_for(_me(request)))
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    if filters.state == "open":
        qs = qs.filter(completed_at__isnull=True)
    elif filters.state == "overdue":
        qs = qs.filter(completed_at__isnull=True, due_at__lt=clock.now())
    elif filters.state == "complete":
        qs = qs.filter(completed_at__isnull=False)
    rows, cursor = paginate(qs, field="id", descending=True, cursor=filters.cursor,
                            limit=filters.limit)  # fmt: skip
    return {"items": [_assignment_out(a) for a in rows], "next_cursor": cursor}


class AssignmentAcknowledgeIn(Input):
    answers: list[int] = Field(default_factory=list, max_length=50)


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    row = queries.assignments(scope_for(_me(request))).filter(pk=assignment_id).first()
    if row is None:
        raise NotFound(f"There is no assignment {assignment_id}.")
    return row


@router.post("/training/assignments/{assignment_id}/acknowledge", response=AssignmentOut,
             summary="Acknowledge reading the document (answering its check)")  # fmt: skip
def acknowledge(
    request: HttpRequest,
    body: AssignmentAcknowledgeIn,
    assignment_id: int,
) -> dict[str, Any]:
    row = training.acknowledge(_me(request), _assignment(request, assignment_id), body.answers)
    return _assignment_out(Assignment.objects.select_related("person").get(pk=row.pk))


class AttendedIn(Input):
    note: str = Field(default="", max_length=500)


@router.post("/training/assignments/{assignment_id}/attended", response=AssignmentOut,
             summary="Tick a session as attended (the lead)")  # fmt: skip
def attended(request: HttpRequest, body: AttendedIn, assignment_id: int) -> dict[str, Any]:
    row = training.mark_attended(_me(request), _assignment(request, assignment_id), body.note)
    return _assignment_out(Assignment.objects.select_related("person").get(pk=row.pk))
