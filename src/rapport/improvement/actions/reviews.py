"""Working a review: record the cause, the responsible provider, five whys and the
documents; close it (never without a cause); a second reviewer agrees to a personnel
cause before it counts; problems group reviews that share a cause."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Party, Person
from rapport.improvement import queries
from rapport.improvement.actions._common import require_staff, scope_of, text
from rapport.improvement.actions.corrective import propose_for
from rapport.improvement.models import (
    Cause,
    Problem,
    ProblemStatus,
    Review,
    ReviewStatus,
)
from rapport.policies import queries as policy_queries
from rapport.policies.models import Document

MAX_WHYS = 5
MAX_DOCUMENTS = 10


def _open_review(actor: Person | None, review: Review) -> Review:
    scope = require_staff(actor, "work a review")
    queries.get_review(scope, review.pk)  # 404 before anything else
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise Conflict("The review is closed.")
    return review


@transaction.atomic
def record(
    actor: Person | None,
    review: Review,
    *,
    cause: str = "",
    cause_reason: str = "",
    responsible: Party | None = None,
    whys: Sequence[str] = (),
    documents: Sequence[Document] = (),
) -> Review:
    """Save what the reviewer found so far (an open review may change its mind)."""
    review = _open_review(actor, review)
    if cause and cause not in Cause.values:
        raise Invalid("No such cause.", field="cause")
    steps = [text(w, "whys", limit=500) for w in whys]
    steps = [w for w in steps if w]
    if len(steps) > MAX_WHYS:
        raise Invalid(f"At most {MAX_WHYS} whys.", field="whys")
    if len(documents) > MAX_DOCUMENTS:
        raise Invalid(f"Link at most {MAX_DOCUMENTS} documents.", field="documents")
    scope = scope_of(actor)
    for d in documents:
        if not policy_queries.visible_documents(scope).filter(pk=d.pk).exists():
            raise NotFound(f"There is no document {d.pk} you can see.", field="documents")
    if responsible is not None and not responsible.can_provide:
        raise Invalid(
            "The responsible party is a team, a vendor or a contractor.", field="responsible"
        )
    review.cause = cause
    review.cause_reason = text(cause_reason, "cause_reason")
    review.responsible = responsible or review.responsible
    review.whys = steps
    review.save(update_fields=["cause", "cause_reason", "responsible", "whys"])
    review.documents.set(documents)
    return review


@transaction.atomic
def close(actor: Person | None, review: Review) -> Review:
    """Close with the recorded cause and propose the corrective actions that fit."""
    review = _open_review(actor, review)
    if not review.cause:
        raise Invalid("A review cannot close without a cause.", field="cause")
    if review.cause == Cause.OUTSIDE and not review.cause_reason:
        raise Invalid("Say why it was outside our control.", field="cause_reason")
    review.status = ReviewStatus.CLOSED
    review.closed_at = clock.now()
    review.closed_by = actor
    # Personnel waits for a second reviewer: the system's fault is looked for first.
    review.counts = review.cause != Cause.PERSONNEL
    review.save(update_fields=["status", "closed_at", "closed_by", "counts"])
    propose_for(review=review)
    return review


@transaction.atomic
def agree_personnel(actor: Person, review: Review) -> Review:
    """A second reviewer agrees that the cause is the person: only then it counts."""
    scope = require_staff(actor, "agree to a cause")
    queries.get_review(scope, review.pk)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.cause != Cause.PERSONNEL:
        raise Conflict("Only a personnel cause needs a second agreement.")
    if actor.pk in (review.reviewer_id, review.closed_by_id):
        raise PermissionDenied("A second reviewer agrees, not the one who chose the cause.")
    if review.agreed_by_id is not None:
        return review
    review.agreed_by = actor
    review.counts = review.status == ReviewStatus.CLOSED
    review.save(update_fields=["agreed_by", "counts"])
    return review


# --- problems ----------------------------------------------------------------------


@transaction.atomic
def create_problem(
    actor: Person | None,
    *,
    title: str,
    reviews: Sequence[Review] = (),
    cause: str = "",
    provider: Party | None = None,
) -> Problem:
    scope = require_staff(actor, "open a problem")
    if cause and cause not in Cause.values:
        raise Invalid("No such cause.", field="cause")
    problem = Problem.objects.create(
        title=text(title, "title", required=True, limit=200),
        cause=cause,
        provider=provider,
        created_by=actor,
        created_at=clock.now(),
    )
    for review in reviews:
        queries.get_review(scope, review.pk)
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(problem=problem)
    return problem


@transaction.atomic
def group(actor: Person | None, problem: Problem, review: Review) -> Review:
    scope = require_staff(actor, "group reviews")
    queries.get_problem(scope, problem.pk)
    queries.get_review(scope, review.pk)
    Review.objects.filter(pk=review.pk).update(problem=problem)
    review.problem = problem
    return review


@transaction.atomic
def close_problem(actor: Person | None, problem: Problem, *, cause: str = "") -> Problem:
    """Close with a cause (its own, or the one its reviews share) and propose actions."""
    scope = require_staff(actor, "close a problem")
    queries.get_problem(scope, problem.pk)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.status == ProblemStatus.CLOSED:
        raise Conflict("The problem is closed already.")
    cause = cause or problem.cause
    if cause not in Cause.values:
        raise Invalid("A problem cannot close without a cause.", field="cause")
    problem.cause = cause
    problem.status = ProblemStatus.CLOSED
    problem.closed_at = clock.now()
    problem.save(update_fields=["cause", "status", "closed_at"])
    propose_for(problem=problem)
    return problem


def reopen_problem(problem: Problem) -> Problem:
    """The system reopens a problem whose action did not work (effectiveness check)."""
    problem.status = ProblemStatus.OPEN
    problem.closed_at = None
    problem.reopened += 1
    problem.save(update_fields=["status", "closed_at", "reopened"])
    return problem
