"""Quality reviews over HTTP: rubrics, reviews with their disputes and coaching, and
calibration sessions (`/quality/...`). Reads are scoped as in `people.quality_queries`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PartyRef, PersonRef
from rapport.directory.models import Organisation, Person, Team
from rapport.directory.queries import scope_for
from rapport.people import quality_queries as queries
from rapport.people.actions import quality as actions
from rapport.people.models import CalibrationSession, Dispute, Review, Rubric, RubricCategory
from rapport.tickets import queries as ticket_queries

router = Router(tags=["quality"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _require_staff(request: HttpRequest) -> Person:
    me = _me(request)
    if not scope_for(me).is_staff:
        raise PermissionDenied("Quality reviews are for staff.")
    return me


# --- rubrics ------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str
    description: str
    scale: int
    weight: int
    critical: bool
    allow_na: bool
    bonus: bool
    document: int | None


class RubricOut(Schema):
    id: int
    name: str
    description: str
    team: int | None
    is_active: bool
    categories: list[CategoryOut]


def rubric_out(r: Rubric) -> dict[str, Any]:
    return {
        "id": r.pk, "name": r.name, "description": r.description, "team": r.team_id,
        "is_active": r.is_active,
        "categories": [{
            "id": c.pk, "name": c.name, "description": c.description, "scale": c.scale,
            "weight": c.weight, "critical": c.critical, "allow_na": c.allow_na,
            "bonus": c.bonus, "document": c.document_id} for c in r.categories.all()],
    }  # fmt: skip


@router.get("/quality/rubrics", response=list[RubricOut], summary="Quality rubrics (staff)")
def list_rubrics(request: HttpRequest) -> list[dict[str, Any]]:
    _require_staff(request)
    return [rubric_out(r) for r in queries.quality_rubrics()[:200]]


class CategoryIn(Input):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    scale: Literal[2, 3, 4, 5] = 5
    weight: int = Field(default=1, ge=0, le=100)
    critical: bool = False
    allow_na: bool = False
    bonus: bool = False
    document: int | None = Field(default=None, ge=1, le=MAX_ID)


class RubricIn(Input):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=5000)
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    categories: list[CategoryIn] = Field(min_length=1, max_length=30)


@router.post("/quality/rubrics", response={201: RubricOut},
             summary="Write a quality rubric (leads, managers, admins)")  # fmt: skip
def create_rubric(request: HttpRequest, payload: RubricIn) -> HttpStatus[dict[str, Any]]:
    me = _require_staff(request)
    team = None
    if payload.team is not None:
        team = Team.objects.filter(pk=payload.team).first()
        if team is None:
            raise NotFound(f"There is no team {payload.team}.", field="team")
    rubric = actions.create_rubric(
        me, name=payload.name, description=payload.description, team=team,
        categories=[c.model_dump() for c in payload.categories],
    )  # fmt: skip
    return HttpStatus(201, rubric_out(queries.quality_rubrics(False).get(pk=rubric.pk)))


# --- reviews ------------------------------------------------------------------------


class RatingOut(Schema):
    category: int
    name: str
    value: int | None = Field(description="The level given; null: N/A")


class DisputeOut(Schema):
    id: int
    review: int
    category: int | None
    raised_by: PersonRef
    reason: str
    status: str
    arbitrator: PersonRef | None
    decision_note: str
    score_before: float | None
    created_at: datetime
    decided_at: datetime | None


class QualityReviewOut(Schema):
    id: int
    ticket: int
    rubric: int
    kind: str
    reviewer: PersonRef
    agent: PersonRef | None
    provider: PartyRef | None
    score: float | None
    critical_failed: bool
    comment: str
    coaching_note: str
    follow_up_on: date | None
    acknowledged_at: datetime | None
    created_at: datetime
    ratings: list[RatingOut]


def _ref(p: Person | None) -> dict[str, Any] | None:
    return None if p is None else {"id": p.pk, "name": p.display_name}


def review_out(r: Review) -> dict[str, Any]:
    party = r.provider_party
    return {
        "id": r.pk, "ticket": r.ticket_id, "rubric": r.rubric_id, "kind": r.kind,
        "reviewer": _ref(r.reviewer), "agent": _ref(r.agent),
        "provider": None if party is None else {"id": party.pk, "name": party.name,
                                                "kind": party.kind},
        "score": r.score, "critical_failed": r.critical_failed, "comment": r.comment,
        "coaching_note": r.coaching_note, "follow_up_on": r.follow_up_on,
        "acknowledged_at": r.acknowledged_at, "created_at": r.created_at,
        "ratings": [{"category": x.category_id, "name": x.category.name, "value": x.value}
                    for x in r.ratings.all()],
    }  # fmt: skip


def dispute_out(d: Dispute) -> dict[str, Any]:
    return {
        "id": d.pk, "review": d.review_id, "category": d.category_id,
        "raised_by": _ref(d.raised_by), "reason": d.reason, "status": d.status,
        "arbitrator": _ref(d.arbitrator), "decision_note": d.decision_note,
        "score_before": d.score_before, "created_at": d.created_at, "decided_at": d.decided_at,
    }  # fmt: skip


def _with_joins(qs: Any) -> Any:
    return qs.select_related("reviewer", "agent", "provider_party").prefetch_related(
        "ratings__category")  # fmt: skip


class QualityReviewPage(Schema):
    items: list[QualityReviewOut]
    next_cursor: str | None


class ReviewFilters(Schema):
    agent: int | None = Field(default=None, ge=1, le=MAX_ID, description="Person credited")
    provider: int | None = Field(default=None, ge=1, le=MAX_ID, description="Provider party")
    ticket: int | None = Field(default=None, ge=1, le=MAX_ID)
    kind: Literal["review", "self"] | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


@router.get(
    "/quality/reviews",
    response=QualityReviewPage,
    summary="Reviews you may see (your own, your teams', your organisation's if shared)",
)
def list_reviews(request: HttpRequest, filters: Query[ReviewFilters]) -> dict[str, Any]:
    qs = queries.visible_reviews(scope_for(_me(request)))
    for name, column in (("agent", "agent_id"), ("provider", "provider_party_id"),
                         ("ticket", "ticket_id"), ("kind", "kind")):  # fmt: skip
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{column: value})
    rows, cursor = paginate(
        qs, field="created_at", descending=True, cursor=filters.cursor, limit=filters.limit,
        is_datetime=True, fetch=_with_joins,
    )  # fmt: skip
    return {"items": [review_out(r) for r in rows], "next_cursor": cursor}


class QualityReviewIn(Input):
    ticket: int = Field(ge=1, le=MAX_ID)
    rubric: int = Field(ge=1, le=MAX_ID)
    ratings: dict[int, int | None] = Field(
        max_length=30, description="Category id → level (null: N/A)")  # fmt: skip
    agent: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Default: who wrote most public replies"
    )
    comment: str = Field(default="", max_length=5000)
    coaching_note: str = Field(default="", max_length=5000)
    follow_up_on: date | None = Field(default=None, ge=date(2000, 1, 1), le=date(2100, 1, 1))
    session: int | None = Field(default=None, ge=1, le=MAX_ID, description="Calibration")


@router.post("/quality/reviews", response={201: QualityReviewOut}, summary="Review a conversation")
def create_review(request: HttpRequest, payload: QualityReviewIn) -> HttpStatus[dict[str, Any]]:
    me = _require_staff(request)
    scope = scope_for(me)
    ticket = ticket_queries.get_ticket(scope, payload.ticket, field="ticket")
    rubric = queries.quality_rubrics().filter(pk=payload.rubric).first()
    if rubric is None:
        raise NotFound(f"There is no quality rubric {payload.rubric}.", field="rubric")
    agent = None
    if payload.agent is not None:
        agent = Person.objects.filter(pk=payload.agent).first()
        if agent is None:
            raise NotFound(f"There is no person {payload.agent}.", field="agent")
    session = None
    if payload.session is not None:
        session = queries.visible_sessions(scope).filter(pk=payload.session).first()
        if session is None:
            raise NotFound(f"There is no session {payload.session}.", field="session")
    review = actions.submit_review(
        me, ticket, rubric, payload.ratings, agent=agent, comment=payload.comment,
        coaching_note=payload.coaching_note, follow_up_on=payload.follow_up_on,
        session=session,
    )  # fmt: skip
    return HttpStatus(201, review_out(_with_joins(Review.objects).get(pk=review.pk)))


def _review(request: HttpRequest, quality_review_id: int) -> Review:
    return queries.get_review(scope_for(_me(request)), quality_review_id)


@router.get("/quality/reviews/{quality_review_id}", response=QualityReviewOut, summary="One review")
def get_review(request: HttpRequest, quality_review_id: int) -> dict[str, Any]:
    review = _with_joins(queries.visible_reviews(scope_for(_me(request)))).filter(
        pk=quality_review_id).first()  # fmt: skip
    if review is None:
        raise NotFound(f"There is no review {quality_review_id} you can see.")
    return review_out(review)


@router.post("/quality/reviews/{quality_review_id}/acknowledgement", response=QualityReviewOut,
             summary="The agent acknowledges the review's coaching note")  # fmt: skip
def acknowledge(request: HttpRequest, quality_review_id: int) -> dict[str, Any]:
    review = actions.acknowledge_coaching(_me(request), _review(request, quality_review_id))
    return review_out(_with_joins(Review.objects).get(pk=review.pk))


class DisputeIn(Input):
    reason: str = Field(max_length=5000)
    category: int | None = Field(default=None, ge=1, le=MAX_ID)


@router.post("/quality/reviews/{quality_review_id}/disputes", response={201: DisputeOut},
             summary="The agent reviewed disputes a review")  # fmt: skip
def create_dispute(
    request: HttpRequest, quality_review_id: int, payload: DisputeIn
) -> HttpStatus[dict[str, Any]]:
    review = _review(request, quality_review_id)
    category = None
    if payload.category is not None:
        category = RubricCategory.objects.filter(
            pk=payload.category, rubric_id=review.rubric_id
        ).first()
        if category is None:
            raise NotFound("That category is not in the review's rubric.", field="category")
    d = actions.dispute(_me(request), review, reason=payload.reason, category=category)
    return HttpStatus(201, dispute_out(queries.visible_disputes(scope_for(_me(request)))
                                       .get(pk=d.pk)))  # fmt: skip


class DisputeFilters(Schema):
    status: Literal["open", "upheld", "changed"] | None = None
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/quality/disputes", response=list[DisputeOut],
            summary="Disputes of the reviews you may see")  # fmt: skip
def list_disputes(request: HttpRequest, filters: Query[DisputeFilters]) -> list[dict[str, Any]]:
    qs = queries.visible_disputes(scope_for(_me(request)))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return [dispute_out(d) for d in qs[: filters.limit]]


class DisputeDecisionIn(Input):
    decision: Literal["uphold", "change"]
    note: str = Field(default="", max_length=5000)
    ratings: dict[int, int | None] | None = Field(default=None, max_length=30)


@router.post(
    "/quality/disputes/{dispute_id}/decision",
    response=DisputeOut,
    summary="Arbitrate a dispute (the agent's lead, a manager, an admin)",
)
def decide_dispute(
    request: HttpRequest, dispute_id: int, payload: DisputeDecisionIn
) -> dict[str, Any]:
    scope = scope_for(_me(request))
    d = queries.visible_disputes(scope).filter(pk=dispute_id).first()
    if d is None:
        raise NotFound(f"There is no dispute {dispute_id} you can see.")
    d = actions.arbitrate(_me(request), d, decision=payload.decision, note=payload.note,
                          ratings=payload.ratings)  # fmt: skip
    return dispute_out(queries.visible_disputes(scope).get(pk=d.pk))


# --- calibration --------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    name: str
    rubric: int
    tickets: list[int]
    reviewers: list[PersonRef]
    created_at: datetime
    closed_at: datetime | None


class CategoryAgreement(Schema):
    category: int
    agreement: float | None = Field(description="Share of reviewer pairs within ±10 points")
    kappa: float | None = Field(description="Fleiss' kappa of the levels given")


class ScoreOut(Schema):
    ticket: int
    reviewer: int
    score: float | None
    ratings: dict[int, int | None]


class SessionDetail(SessionOut):
    revealed: bool
    scores: list[ScoreOut]
    categories: list[CategoryAgreement]
    overall_agreement: float | None
    distance: dict[int, float]


def session_out(s: CalibrationSession) -> dict[str, Any]:
    return {
        "id": s.pk, "name": s.name, "rubric": s.rubric_id,
        "tickets": [t.pk for t in s.tickets.all()],
        "reviewers": [_ref(p) for p in s.reviewers.all()],
        "created_at": s.created_at, "closed_at": s.closed_at,
    }  # fmt: skip


@router.get("/quality/calibrations", response=list[SessionOut],
            summary="Calibration sessions you run or take part in")  # fmt: skip
def list_calibrations(request: HttpRequest) -> list[dict[str, Any]]:
    qs = queries.visible_sessions(scope_for(_me(request))).prefetch_related(
        "tickets", "reviewers")  # fmt: skip
    return [session_out(s) for s in qs[:100]]


class SessionIn(Input):
    name: str = Field(max_length=200)
    rubric: int = Field(ge=1, le=MAX_ID)
    tickets: list[int] = Field(min_length=1, max_length=20)
    reviewers: list[int] = Field(min_length=2, max_length=20)


@router.post(
    "/quality/calibrations",
    response={201: SessionDetail},
    summary="Start a blind calibration session (leads, managers, admins)",
)
def create_calibration(request: HttpRequest, payload: SessionIn) -> HttpStatus[dict[str, Any]]:
    me = _require_staff(request)
    scope = scope_for(me)
    rubric = queries.quality_rubrics().filter(pk=payload.rubric).first()
    if rubric is None:
        raise NotFound(f"There is no quality rubric {payload.rubric}.", field="rubric")
    tickets = [ticket_queries.get_ticket(scope, n, field="tickets") for n in payload.tickets]
    reviewers = list(Person.objects.filter(pk__in=payload.reviewers))
    if len(reviewers) != len(set(payload.reviewers)):
        raise NotFound("A reviewer does not exist.", field="reviewers")
    session = actions.create_calibration(me, name=payload.name, rubric=rubric,
                                         tickets=tickets, reviewers=reviewers)  # fmt: skip
    return HttpStatus(201, _detail(request, session.pk))


def _detail(request: HttpRequest, session_id: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    session = queries.get_session(scope, session_id)
    report = queries.calibration_report(scope, session)
    return {
        **session_out(session), "revealed": report.revealed,
        "scores": [{"ticket": t, "reviewer": r, "score": score, "ratings": values}
                   for t, by in report.scores.items() for r, (score, values) in by.items()],
        "categories": [{"category": c, "agreement": a, "kappa": k}
                       for c, (a, k) in report.categories.items()],
        "overall_agreement": report.overall_agreement, "distance": report.distance,
    }  # fmt: skip


@router.get(
    "/quality/calibrations/{session_id}",
    response=SessionDetail,
    summary="A calibration session: blind until closed, then agreement and kappa",
)
def get_calibration(request: HttpRequest, session_id: int) -> dict[str, Any]:
    return _detail(request, session_id)


@router.post("/quality/calibrations/{session_id}/close", response=SessionDetail,
             summary="Close a session and reveal every reviewer's scores")  # fmt: skip
def close_calibration(request: HttpRequest, session_id: int) -> dict[str, Any]:
    session = queries.get_session(scope_for(_me(request)), session_id)
    actions.close_calibration(_me(request), session)
    return _detail(request, session_id)


# --- sharing with vendors -----------------------------------------------------------


class SharingIn(Input):
    shared: bool


class SharingOut(Schema):
    organisation: int
    shared: bool


@router.put(
    "/quality/sharing/{org_id}",
    response=SharingOut,
    summary="A vendor's manager shares its conversation reviews with its users",
)
def put_sharing(request: HttpRequest, org_id: int, payload: SharingIn) -> dict[str, Any]:
    me = _me(request)
    scope = scope_for(me)
    org = Organisation.objects.filter(pk=org_id).select_related("party").first()
    if org is None or not (scope.is_staff or org.party_id in scope.client_party_ids):
        raise NotFound(f"There is no organisation {org_id} you can see.")
    row = actions.set_review_sharing(me, org, shared=payload.shared)
    return {"organisation": org.pk, "shared": row.shared}
