"""Outcome reviews, problems and corrective actions over HTTP (the Pareto: api_pareto).

Reviews, problems and the Pareto are staff-only (a list answers 403 to anyone else,
an id 404); a vendor or contractor user lists the corrective actions addressed to its
organisation, without the review behind them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Party, Person
from rapport.directory.queries import Scope, scope_for
from rapport.improvement import actions, queries
from rapport.improvement.models import CorrectiveAction, Problem, Review
from rapport.policies import queries as policy_queries
from rapport.policies.models import Document

router = Router(tags=["improvement"])

CauseName = Literal["policy", "procedure", "training", "management", "personnel", "outside"]
TriggerName = Literal[
    "breach", "csat", "ces", "nps", "reopen", "complaint", "watermelon", "qa_critical"
]
MAX_DAYS = 400


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


def _staff(request: HttpRequest, doing: str) -> Scope:
    scope = _scope(request)
    if not scope.is_staff:
        raise PermissionDenied(f"Only staff can {doing}.")
    return scope


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class Ref(Schema):
    id: int
    name: str


class OutcomeReviewOut(Schema):
    id: int
    trigger: str
    ticket: int | None
    provider: Ref | None
    team: Ref | None
    detail: dict[str, Any]
    reviewer: Ref | None
    status: str
    cause: str
    cause_reason: str
    proposed_responsible: Ref | None
    responsible: Ref | None
    whys: list[str]
    documents: list[int]
    problem: int | None
    agreed_by: Ref | None
    counts: bool = Field(description="Closed with a cause that counts in the Pareto")
    opened_at: dt.datetime
    closed_at: dt.datetime | None


def _party(p: Party | None) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.name} if p is not None else None


def _person(p: Person | None) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.display_name} if p is not None else None


def review_out(r: Review) -> dict[str, Any]:
    return {
        "id": r.pk,
        "trigger": r.trigger,
        "ticket": r.ticket_id,
        "provider": _party(r.provider),
        "team": {"id": r.team.pk, "name": r.team.name} if r.team is not None else None,
        "detail": r.detail,
        "reviewer": _person(r.reviewer),
        "status": r.status,
        "cause": r.cause,
        "cause_reason": r.cause_reason,
        "proposed_responsible": _party(r.proposed_responsible),
        "responsible": _party(r.responsible),
        "whys": list(r.whys),
        "documents": [d.pk for d in r.documents.all()],
        "problem": r.problem_id,
        "agreed_by": _person(r.agreed_by),
        "counts": r.counts,
        "opened_at": r.opened_at,
        "closed_at": r.closed_at,
    }


def _with_refs(qs: QuerySet[Review]) -> QuerySet[Review]:
    return qs.select_related("proposed_responsible", "agreed_by").prefetch_related("documents")


class OutcomeReviewPage(Schema):
    items: list[OutcomeReviewOut]
    next_cursor: str | None


class ReviewFilter(Schema):
    status: Literal["open", "closed"] | None = None
    mine: bool = Field(default=False, description="Only the reviews given to me")
    trigger: TriggerName | None = None
    cause: CauseName | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/reviews", response=OutcomeReviewPage, summary="Outcome reviews (staff)")
def list_reviews(request: HttpRequest, params: Query[ReviewFilter]) -> dict[str, Any]:
    scope = _staff(request, "read reviews")
    qs = queries.visible_reviews(scope)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.mine:
        qs = qs.filter(reviewer_id=scope.person_id)
    if params.trigger:
        qs = qs.filter(trigger=params.trigger)
    if params.cause:
        qs = qs.filter(cause=params.cause)
    rows, cursor = paginate(
        _with_refs(qs),
        field="opened_at",
        descending=True,
        cursor=params.cursor,
        limit=params.limit,
        is_datetime=True,
    )
    return {"items": [review_out(r) for r in rows], "next_cursor": cursor}


def _review(request: HttpRequest, review_id: int) -> Review:
    review = _with_refs(queries.visible_reviews(_scope(request))).filter(pk=review_id).first()
    if review is None:
        raise NotFound(f"There is no review {review_id} you can see.")
    return review


@router.get("/reviews/{review_id}", response=OutcomeReviewOut, summary="One review (staff)")
def get_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return review_out(_review(request, review_id))


class OutcomeReviewIn(Input):
    cause: CauseName | Literal[""] = ""
    cause_reason: str = Field(default="", max_length=5000)
    responsible: int | None = Field(default=None, ge=1, le=MAX_ID, description="A party id")
    whys: list[str] = Field(default_factory=list, max_length=5)
    documents: list[int] = Field(default_factory=list, max_length=10)


@router.put(
    "/reviews/{review_id}",
    response=OutcomeReviewOut,
    summary="Record the cause, the responsible provider, five whys and documents",
)
def record_review(request: HttpRequest, body: OutcomeReviewIn, review_id: int) -> dict[str, Any]:
    review = _review(request, review_id)
    scope = _scope(request)
    responsible = None
    if body.responsible is not None:
        responsible = Party.objects.filter(pk=body.responsible).first()
        if responsible is None:
            raise NotFound("There is no such party.", field="responsible")
    documents = list(policy_queries.visible_documents(scope).filter(pk__in=body.documents))
    if len(documents) != len(set(body.documents)):
        raise NotFound("There is no such document you can see.", field="documents")
    actions.record(
        _me(request),
        review,
        cause=body.cause,
        cause_reason=body.cause_reason,
        responsible=responsible,
        whys=body.whys,
        documents=documents,
    )
    return review_out(_review(request, review_id))


@router.post(
    "/reviews/{review_id}/close",
    response=OutcomeReviewOut,
    summary="Close with the recorded cause; proposes the corrective actions",
)
def close_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    actions.close(_me(request), _review(request, review_id))
    return review_out(_review(request, review_id))


@router.post(
    "/reviews/{review_id}/agree",
    response=OutcomeReviewOut,
    summary="A second reviewer agrees to a personnel cause",
)
def agree_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    actions.agree_personnel(_me(request), _review(request, review_id))
    return review_out(_review(request, review_id))


# --- problems ----------------------------------------------------------------------


class ProblemOut(Schema):
    id: int
    title: str
    cause: str
    provider: Ref | None
    status: str
    reopened: int
    reviews: list[int]
    created_at: dt.datetime
    closed_at: dt.datetime | None


def problem_out(p: Problem) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "cause": p.cause,
        "provider": _party(p.provider),
        "status": p.status,
        "reopened": p.reopened,
        "reviews": [r.pk for r in p.reviews.all()],
        "created_at": p.created_at,
        "closed_at": p.closed_at,
    }


class ProblemFilter(Schema):
    status: Literal["open", "closed"] | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=50, ge=1, le=200)


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


@router.get("/problems", response=ProblemPage, summary="Problems: reviews grouped (staff)")
def list_problems(request: HttpRequest, params: Query[ProblemFilter]) -> dict[str, Any]:
    scope = _staff(request, "read problems")
    qs = queries.visible_problems(scope).prefetch_related("reviews")
    if params.status:
        qs = qs.filter(status=params.status)
    rows, cursor = paginate(
        qs,
        field="created_at",
        descending=True,
        cursor=params.cursor,
        limit=params.limit,
        is_datetime=True,
    )
    return {"items": [problem_out(p) for p in rows], "next_cursor": cursor}


class ProblemIn(Input):
    title: str = Field(min_length=1, max_length=200)
    cause: CauseName | Literal[""] = ""
    reviews: list[int] = Field(default_factory=list, max_length=100)


@router.post("/problems", response={201: ProblemOut}, summary="Group reviews under a problem")
def create_problem(request: HttpRequest, body: ProblemIn) -> Status:
    scope = _staff(request, "open a problem")
    reviews = list(queries.visible_reviews(scope).filter(pk__in=body.reviews))
    if len(reviews) != len(set(body.reviews)):
        raise NotFound("There is no such review you can see.", field="reviews")
    problem = actions.create_problem(
        _me(request), title=body.title, cause=body.cause, reviews=reviews
    )
    return Status(201, problem_out(problem))


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    return queries.get_problem(_scope(request), problem_id)


@router.get("/problems/{problem_id}", response=ProblemOut, summary="One problem (staff)")
def get_problem(request: HttpRequest, problem_id: int) -> dict[str, Any]:
    return problem_out(_problem(request, problem_id))


class CloseProblemIn(Input):
    cause: CauseName | Literal[""] = ""


@router.post(
    "/problems/{problem_id}/close",
    response=ProblemOut,
    summary="Close with a cause; proposes the corrective actions",
)
def close_problem(request: HttpRequest, body: CloseProblemIn, problem_id: int) -> dict[str, Any]:
    problem = actions.close_problem(_me(request), _problem(request, problem_id), cause=body.cause)
    return problem_out(problem)


# --- corrective actions ---------------------------------------------------------------


class ActionOut(Schema):
    id: int
    kind: str
    cause: str
    title: str
    detail: str
    owner: Ref | None
    provider: Ref | None
    state: str
    due_on: dt.date
    overdue: bool
    done_at: dt.datetime | None
    check_on: dt.date | None
    effect: str = Field(description="'' until checked, then effective or not_effective")
    before_reviews: int | None
    before_tickets: int | None
    after_reviews: int | None
    after_tickets: int | None
    review: int | None = Field(description="Staff only; null for a vendor user")
    problem: int | None = Field(description="Staff only")
    proposal: int | None = Field(description="The change proposal filed (staff only)")


def action_out(a: CorrectiveAction, *, staff: bool) -> dict[str, Any]:
    today = clock.now().date()
    return {
        "id": a.pk,
        "kind": a.kind,
        "cause": a.cause,
        "title": a.title,
        "detail": a.detail if staff or a.kind != "change_proposal" else "",
        "owner": _person(a.owner) if staff else None,
        "provider": _party(a.provider),
        "state": a.state,
        "due_on": a.due_on,
        "overdue": a.state in ("proposed", "open") and a.due_on < today,
        "done_at": a.done_at,
        "check_on": a.check_on,
        "effect": a.effect,
        "before_reviews": a.before_reviews,
        "before_tickets": a.before_tickets,
        "after_reviews": a.after_reviews,
        "after_tickets": a.after_tickets,
        "review": a.review_id if staff else None,
        "problem": a.problem_id if staff else None,
        "proposal": a.proposal_id if staff else None,
    }


class ActionFilter(Schema):
    state: Literal["proposed", "open", "done", "cancelled"] | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=50, ge=1, le=200)


class ActionPage(Schema):
    items: list[ActionOut]
    next_cursor: str | None


@router.get(
    "/corrective-actions",
    response=ActionPage,
    summary="Corrective actions (staff; a vendor user: those addressed to it)",
)
def list_actions(request: HttpRequest, params: Query[ActionFilter]) -> dict[str, Any]:
    scope = _scope(request)
    if not scope.is_staff and not scope.provider_org_party_ids:
        raise PermissionDenied("Only staff and the providers addressed see corrective actions.")
    qs = queries.visible_actions(scope)
    if params.state:
        qs = qs.filter(state=params.state)
    rows, cursor = paginate(
        qs, field="id", descending=True, cursor=params.cursor, limit=params.limit
    )
    return {"items": [action_out(a, staff=scope.is_staff) for a in rows], "next_cursor": cursor}


@router.get("/corrective-actions/{action_id}", response=ActionOut, summary="One corrective action")
def get_action(request: HttpRequest, action_id: int) -> dict[str, Any]:
    scope = _scope(request)
    return action_out(queries.get_action(scope, action_id), staff=scope.is_staff)


class ConfirmIn(Input):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    detail: str | None = Field(default=None, max_length=5000)
    what_is_wrong: str | None = Field(default=None, max_length=5000)
    why: str | None = Field(default=None, max_length=5000)
    owner: int | None = Field(default=None, ge=1, le=MAX_ID)
    due_on: dt.date | None = None
    document: int | None = Field(default=None, ge=1, le=MAX_ID)


@router.post(
    "/corrective-actions/{action_id}/confirm",
    response=ActionOut,
    summary="Confirm a proposed action (files the change proposal, tells people)",
)
def confirm_action(request: HttpRequest, body: ConfirmIn, action_id: int) -> dict[str, Any]:
    scope = _scope(request)
    action = queries.get_action(scope, action_id)
    owner = None
    if body.owner is not None:
        owner = Person.objects.filter(pk=body.owner).first()
        if owner is None:
            raise NotFound("There is no such person.", field="owner")
    document: Document | None = None
    if body.document is not None:
        document = policy_queries.visible_documents(scope).filter(pk=body.document).first()
        if document is None:
            raise NotFound("There is no such document you can see.", field="document")
    done = actions.confirm(
        _me(request),
        action,
        title=body.title,
        detail=body.detail,
        what_is_wrong=body.what_is_wrong,
        why=body.why,
        owner=owner,
        due_on=body.due_on,
        document=document,
    )
    return action_out(done, staff=True)


@router.post(
    "/corrective-actions/{action_id}/done",
    response=ActionOut,
    summary="Mark done; the effectiveness check is scheduled",
)
def complete_action(request: HttpRequest, action_id: int) -> dict[str, Any]:
    action = queries.get_action(_scope(request), action_id)
    return action_out(actions.complete(_me(request), action), staff=True)


class CancelIn(Input):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/corrective-actions/{action_id}/cancel", response=ActionOut, summary="Cancel")
def cancel_action(request: HttpRequest, body: CancelIn, action_id: int) -> dict[str, Any]:
    action = queries.get_action(_scope(request), action_id)
    return action_out(actions.cancel(_me(request), action, reason=body.reason), staff=True)
