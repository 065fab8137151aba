"""The hiring and practice half of the training API: role-play scenarios, candidates
and assessments (blind until every assessor submits). Reads are scoped as in
`people.training_queries` (404, never 403)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import Invalid, NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Person, Team
from rapport.directory.queries import scope_for
from rapport.people import training_queries as queries
from rapport.people.actions import training
from rapport.people.models import Assessment, Candidate, Scenario
from rapport.policies import queries as policy_queries
from rapport.tickets import queries as ticket_queries

router = Router(tags=["training"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


# --- scenarios ---------------------------------------------------------------


class BranchIn(Input):
    when: str = Field(max_length=300)
    line: str = Field(max_length=4000)


class StepIn(Input):
    line: str = Field(max_length=4000)
    expected: str = Field(default="", max_length=4000)
    branches: list[BranchIn] = Field(default_factory=list, max_length=6)


class DimensionIn(Input):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    anchors: list[str] = Field(default_factory=list, max_length=5)
    weight: int = Field(default=1, ge=1, le=100)
    weight_reason: str = Field(default="", max_length=300)


class ScenarioIn(Input):
    title: str = Field(max_length=200)
    channel: Literal["phone", "chat", "email", "counter"]
    persona_name: str = Field(max_length=120)
    persona_situation: str = Field(max_length=4000)
    persona_wants: str = Field(max_length=4000)
    temperament: Literal["red", "yellow", "green", "blue"]
    purpose: Literal["hiring", "training"] = "hiring"
    steps: list[StepIn] = Field(max_length=40)
    dimensions: list[DimensionIn] = Field(default_factory=list, max_length=12)
    documents: list[int] = Field(default_factory=list, max_length=20)
    related: int | None = Field(default=None, ge=1, le=MAX_ID)


class FromTicketIn(Input):
    ticket: int = Field(ge=1, le=MAX_ID, description="The number of a solved ticket")
    temperament: Literal["red", "yellow", "green", "blue"] = "green"
    channel: Literal["phone", "chat", "email", "counter"] = "email"


class DimensionOut(Schema):
    id: int
    name: str
    description: str
    built_in: str
    anchors: list[str]
    weight: int
    weight_reason: str


class StepOut(Schema):
    position: int
    line: str
    expected: str
    branches: list[dict[str, str]]


class ScenarioSummary(Schema):
    id: int
    title: str
    channel: str
    temperament: str
    temperament_label: str
    persona_name: str
    is_active: bool


class ScenarioOut(ScenarioSummary):
    persona_situation: str
    persona_wants: str
    purpose: str
    steps: list[StepOut]
    dimensions: list[DimensionOut]
    documents: list[int]
    related: int | None
    # Admins only: the ticket the script was drawn from.
    source_ticket: int | None


def _summary(s: Scenario) -> dict[str, Any]:
    return {"id": s.pk, "title": s.title, "channel": s.channel, "temperament": s.temperament,
            "temperament_label": s.get_temperament_display(), "persona_name": s.persona_name,
            "is_active": s.is_active}  # fmt: skip


def scenario_out(s: Scenario, *, admin: bool) -> dict[str, Any]:
    return {
        **_summary(s), "persona_situation": s.persona_situation,
        "persona_wants": s.persona_wants, "purpose": s.rubric.purpose,
        "steps": [{"position": st.position, "line": st.line, "expected": st.expected,
                   "branches": st.branches} for st in s.steps.all()],
        "dimensions": [{"id": c.pk, "name": c.name, "description": c.description,
                        "built_in": c.built_in, "anchors": c.anchors, "weight": c.weight,
                        "weight_reason": c.weight_reason} for c in s.rubric.categories.all()],
        "documents": [d.pk for d in s.documents.all()], "related": s.related_id,
        "source_ticket": s.source_ticket.number if admin and s.source_ticket else None,
    }  # fmt: skip


class ScenarioPage(Schema):
    items: list[ScenarioSummary]
    next_cursor: str | None


class PageFilters(Schema):
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


@router.get("/scenarios", response=ScenarioPage, summary="Role-play scenarios (staff)")
def list_scenarios(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    if not scope.is_staff:
        raise NotFound("There are no scenarios for you.")
    rows, cursor = paginate(queries.scenarios(scope), field="id", descending=True,
                            cursor=filters.cursor, limit=filters.limit)  # fmt: skip
    return {"items": [_summary(s) for s in rows], "next_cursor": cursor}


@router.post("/scenarios/from-ticket", response={201: ScenarioOut},
             summary="Start a scenario from a solved ticket, anonymised (admins)")  # fmt: skip
def scenario_from_ticket(request: HttpRequest, body: FromTicketIn) -> HttpStatus:
    me = _me(request)
    scope = scope_for(me)
    if not scope.is_staff:
        raise NotFound("There are no scenarios for you.")
    ticket = ticket_queries.visible_tickets(scope).filter(pk=body.ticket).first()
    if ticket is None:
        raise NotFound(f"There is no ticket {body.ticket}.", field="ticket")
    s = training.scenario_from_ticket(me, ticket, temperament=body.temperament,
                                      channel=body.channel)  # fmt: skip
    return HttpStatus(201, _scenario(request, s.pk))


def _scenario(request: HttpRequest, scenario_id: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    s = queries.get_scenario(scope, scenario_id)
    return scenario_out(s, admin=scope.is_admin)


@router.get("/scenarios/{scenario_id}", response=ScenarioOut, summary="A scenario and its script")
def get_scenario(request: HttpRequest, scenario_id: int) -> dict[str, Any]:
    return _scenario(request, scenario_id)


@router.post("/scenarios", response={201: ScenarioOut}, summary="Write a scenario")
def create_scenario(request: HttpRequest, body: ScenarioIn) -> HttpStatus:
    me = _me(request)
    scope = scope_for(me)
    if not scope.is_staff:
        raise NotFound("There are no scenarios for you.")
    documents = []
    for i, pk in enumerate(body.documents):
        try:
            documents.append(policy_queries.get_document(scope, pk))
        except NotFound as exc:
            raise NotFound(str(exc.detail), field=f"documents.{i}") from exc
    related = queries.get_scenario(scope, body.related) if body.related else None
    s = training.create_scenario(
        me, title=body.title, channel=body.channel, persona_name=body.persona_name,
        persona_situation=body.persona_situation, persona_wants=body.persona_wants,
        temperament=body.temperament, purpose=body.purpose,
        steps=[s.model_dump() for s in body.steps],
        dimensions=[d.model_dump() for d in body.dimensions], documents=documents,
        related=related,
    )  # fmt: skip
    return HttpStatus(201, _scenario(request, s.pk))


# --- candidates --------------------------------------------------------------


class CandidateIn(Input):
    full_name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    notes: str = Field(default="", max_length=20000)


class DecisionOut(Schema):
    outcome: str
    reasons: str
    decided_by: PersonRef
    decided_at: datetime


class CandidateSummary(Schema):
    id: int
    full_name: str
    stage: str
    created_at: datetime


class ExamOut(Schema):
    exam: str
    score: float
    taken_at: datetime


class CandidateOut(CandidateSummary):
    email: str
    phone: str
    notes: str
    assessments: list[int]
    exams: list[ExamOut]
    decisions: list[DecisionOut]
    trainability: float | None


def _candidate_out(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk, "full_name": c.full_name, "stage": c.stage, "created_at": c.created_at,
        "email": c.email, "phone": c.phone, "notes": c.notes,
        "assessments": [a.pk for a in c.assessments.all()],
        "exams": [{"exam": e.exam.title, "score": e.score, "taken_at": e.taken_at}
                  for e in c.exams.select_related("exam")],
        "decisions": [{"outcome": d.outcome, "reasons": d.reasons,
                       "decided_by": {"id": d.decided_by_id, "name": d.decided_by.display_name},
                       "decided_at": d.decided_at}
                      for d in c.decisions.select_related("decided_by")],
        "trainability": queries.trainability_of(c),
    }  # fmt: skip


class CandidatePage(Schema):
    items: list[CandidateSummary]
    next_cursor: str | None


@router.get("/candidates", response=CandidatePage,
            summary="Candidates: the panel's, or all for admins and managers")  # fmt: skip
def list_candidates(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    if not scope.is_staff:
        raise NotFound("There are no candidates for you.")
    rows, cursor = paginate(queries.candidates(scope), field="id", descending=True,
                            cursor=filters.cursor, limit=filters.limit)  # fmt: skip
    return {
        "items": [
            {"id": c.pk, "full_name": c.full_name, "stage": c.stage, "created_at": c.created_at}
            for c in rows
        ],
        "next_cursor": cursor,
    }


@router.post("/candidates", response={201: CandidateOut}, summary="Add a candidate")
def add_candidate(request: HttpRequest, body: CandidateIn) -> HttpStatus:
    if not scope_for(_me(request)).is_staff:
        raise NotFound("There are no candidates for you.")
    team = Team.objects.filter(pk=body.team).first() if body.team else None
    if body.team and team is None:
        raise NotFound(f"There is no team {body.team}.", field="team")
    c = training.add_candidate(_me(request), full_name=body.full_name, email=body.email,
                               phone=body.phone, team=team, notes=body.notes)  # fmt: skip
    return HttpStatus(201, _candidate_out(c))


@router.get("/candidates/{candidate_id}", response=CandidateOut, summary="A candidate's record")
def get_candidate(request: HttpRequest, candidate_id: int) -> dict[str, Any]:
    return _candidate_out(queries.get_candidate(scope_for(_me(request)), candidate_id))


class HiringDecisionIn(Input):
    outcome: Literal["hire", "no_hire", "second_interview"]
    reasons: str = Field(max_length=20000)


@router.post("/candidates/{candidate_id}/decision", response={201: DecisionOut},
             summary="The panel's decision, with reasons")  # fmt: skip
def decide(request: HttpRequest, body: HiringDecisionIn, candidate_id: int) -> HttpStatus:
    me = _me(request)
    c = queries.get_candidate(scope_for(me), candidate_id)
    d = training.decide(me, c, outcome=body.outcome, reasons=body.reasons)
    return HttpStatus(201, {"outcome": d.outcome, "reasons": d.reasons,
                            "decided_by": {"id": me.pk, "name": me.display_name},
                            "decided_at": d.decided_at})  # fmt: skip


# --- assessments -------------------------------------------------------------


class AssessmentIn(Input):
    scenario: int = Field(ge=1, le=MAX_ID)
    candidate: int | None = Field(default=None, ge=1, le=MAX_ID)
    trainee: int | None = Field(default=None, ge=1, le=MAX_ID)
    assessors: list[int] = Field(min_length=1, max_length=6)
    previous: int | None = Field(default=None, ge=1, le=MAX_ID)


class SeatOut(Schema):
    assessor: PersonRef
    submitted: bool
    # Hidden (null) until every assessor has submitted, except one's own.
    levels: dict[int, int] | None
    notes: dict[int, str] | None


class AssessmentOut(Schema):
    id: int
    purpose: str
    scenario: ScenarioSummary
    candidate: int | None
    trainee: PersonRef | None
    attempt: int
    previous: int | None
    status: str
    feedback: str
    dimensions: list[DimensionOut]
    seats: list[SeatOut]
    agreement: float | None
    kappa: float | None
    mean: float | None
    trainability: float | None
    created_at: datetime


def _assessment_out(request: HttpRequest, a: Assessment) -> dict[str, Any]:
    scope = scope_for(_me(request))
    view = queries.panel(scope, a)
    return {
        "id": a.pk, "purpose": a.purpose, "scenario": _summary(a.scenario),
        "candidate": a.candidate_id,
        "trainee": {"id": a.trainee_id, "name": a.trainee.display_name} if a.trainee else None,
        "attempt": a.attempt, "previous": a.previous_id, "status": a.status,
        "feedback": a.feedback if view.revealed else "",
        "dimensions": [{"id": c.pk, "name": c.name, "description": c.description,
                        "built_in": c.built_in, "anchors": c.anchors, "weight": c.weight,
                        "weight_reason": c.weight_reason} for c in view.categories],
        "seats": [{"assessor": {"id": v.seat.assessor_id, "name": v.seat.assessor.display_name},
                   "submitted": v.seat.submitted_at is not None,
                   "levels": None if v.hidden else v.levels,
                   "notes": None if v.hidden else v.notes} for v in view.seats],
        "agreement": view.agreement, "kappa": view.kappa, "mean": view.mean,
        "trainability": view.trainability, "created_at": a.created_at,
    }  # fmt: skip


class AssessmentSummary(Schema):
    id: int
    purpose: str
    scenario: str
    status: str
    attempt: int
    created_at: datetime


class AssessmentPage(Schema):
    items: list[AssessmentSummary]
    next_cursor: str | None


@router.get("/assessments", response=AssessmentPage, summary="Assessments you may see")
def list_assessments(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    if not scope.is_staff:
        raise NotFound("There are no assessments for you.")
    rows, cursor = paginate(queries.assessments(scope), field="id", descending=True,
                            cursor=filters.cursor, limit=filters.limit)  # fmt: skip
    return {"items": [{"id": a.pk, "purpose": a.purpose, "scenario": a.scenario.title,
                       "status": a.status, "attempt": a.attempt, "created_at": a.created_at}
                      for a in rows], "next_cursor": cursor}  # fmt: skip


@router.post("/assessments", response={201: AssessmentOut},
             summary="Start a hiring role play or a practice")  # fmt: skip
def start_assessment(request: HttpRequest, body: AssessmentIn) -> HttpStatus:
    me = _me(request)
    scope = scope_for(me)
    if not scope.is_staff:
        raise NotFound("There are no assessments for you.")
    scenario = queries.get_scenario(scope, body.scenario)
    candidate = queries.get_candidate(scope, body.candidate) if body.candidate else None
    trainee = None
    if body.trainee:
        trainee = Person.objects.filter(pk=body.trainee).first()
        if trainee is None or not queries.may_see_person(scope, trainee.pk):
            raise NotFound(f"There is no person {body.trainee}.", field="trainee")
    assessors = list(Person.objects.filter(pk__in=body.assessors))
    if len(assessors) != len(set(body.assessors)):
        raise Invalid("Every assessor is a person.", field="assessors")
    previous = queries.get_assessment(scope, body.previous) if body.previous else None
    a = training.start_assessment(me, scenario, assessors=assessors, candidate=candidate,
                                  trainee=trainee, previous=previous)  # fmt: skip
    return HttpStatus(201, _assessment_out(request, queries.get_assessment(scope, a.pk)))


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentOut,
    summary="An assessment: your scores, and everyone's once all have submitted",
)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    a = queries.get_assessment(scope_for(_me(request)), assessment_id)
    return _assessment_out(request, a)


class ScoresIn(Input):
    levels: dict[int, int] = Field(max_length=20)
    notes: dict[int, str] = Field(default_factory=dict, max_length=20)


@router.post("/assessments/{assessment_id}/scores", response=AssessmentOut,
             summary="Record your own levels (1–5) as the role play goes")  # fmt: skip
def score(request: HttpRequest, body: ScoresIn, assessment_id: int) -> dict[str, Any]:
    me = _me(request)
    a = queries.get_assessment(scope_for(me), assessment_id)
    training.score(me, a, body.levels, body.notes)
    return _assessment_out(request, a)


@router.post("/assessments/{assessment_id}/submit", response=AssessmentOut,
             summary="Submit your scores (final)")  # fmt: skip
def submit(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    me = _me(request)
    scope = scope_for(me)
    a = queries.get_assessment(scope, assessment_id)
    training.submit(me, a)
    return _assessment_out(request, queries.get_assessment(scope, assessment_id))


class FeedbackIn(Input):
    feedback: str = Field(max_length=20000)


@router.post("/assessments/{assessment_id}/feedback", response=AssessmentOut,
             summary="Written feedback after the reveal")  # fmt: skip
def feedback(request: HttpRequest, body: FeedbackIn, assessment_id: int) -> dict[str, Any]:
    me = _me(request)
    scope = scope_for(me)
    a = queries.get_assessment(scope, assessment_id)
    training.give_feedback(me, a, body.feedback)
    return _assessment_out(request, queries.get_assessment(scope, assessment_id))
