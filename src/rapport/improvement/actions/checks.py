"""Effectiveness checks: did the action work?

On its check date (default 60 days after it was done) an action's cause and provider
are measured over two windows of the same length, before and after the day it was
done: reviews that count with that cause and responsible provider per 100 tickets of
that provider. A lower rate after is *effective*; otherwise *not effective*, and the
problem behind it reopens (a problem is opened for a lone review). The counts are
kept, so a reader can judge the size of the effect.

The task claims due rows with a conditional UPDATE (check_claimed_at IS NULL), as the
SLA sweeper and the survey sender do, so several workers never check one action twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.core import clock
from rapport.improvement import queries
from rapport.improvement.actions.reviews import reopen_problem
from rapport.improvement.models import ActionState, CorrectiveAction, Effect, Problem, Review


def _claim(pk: int, now: datetime) -> bool:
    return bool(
        CorrectiveAction.objects.filter(pk=pk, check_claimed_at__isnull=True).update(
            check_claimed_at=now
        )
    )


def evaluate(action: CorrectiveAction, now: datetime) -> CorrectiveAction:
    """Measure and mark one action (claimed already)."""
    assert action.done_at is not None and action.check_on is not None
    window = max(timedelta(days=1), timedelta(days=(action.check_on - action.done_at.date()).days))
    done = action.done_at
    provider = action.provider_id
    before = queries.rate_counts(action.cause, provider, done - window, done)
    after = queries.rate_counts(action.cause, provider, done, done + window)
    action.before_reviews, action.before_tickets = before
    action.after_reviews, action.after_tickets = after
    before_rate = 100 * before[0] / before[1] if before[1] else 0.0
    after_rate = 100 * after[0] / after[1] if after[1] else 0.0
    worked = after[0] == 0 or after_rate < before_rate
    action.effect = Effect.EFFECTIVE if worked else Effect.NOT_EFFECTIVE
    action.checked_at = now
    action.save(
        update_fields=[
            "before_reviews",
            "before_tickets",
            "after_reviews",
            "after_tickets",
            "effect",
            "checked_at",
        ]
    )
    if not worked:
        _reopen(action, now)
    return action


def _reopen(action: CorrectiveAction, now: datetime) -> None:
    problem = action.problem
    if problem is None and action.review is not None:
        problem = action.review.problem
    if problem is not None:
        reopen_problem(problem)
        return
    review = action.review
    problem = Problem.objects.create(
        title=f"{action.title}: not effective"[:200],
        cause=action.cause,
        provider_id=action.provider_id,
        created_at=now,
    )
    if review is not None:
        Review.objects.filter(pk=review.pk).update(problem=problem)
    CorrectiveAction.objects.filter(pk=action.pk).update(problem=problem)


def run_due_checks(now: datetime | None = None, batch: int = 200) -> int:
    """Check every action whose date has come; returns how many were checked."""
    now = now or clock.now()
    due = list(
        CorrectiveAction.objects.filter(
            state=ActionState.DONE, check_on__lte=now.date(), check_claimed_at__isnull=True
        )
        .order_by("check_on", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    checked = 0
    for pk in due:
        with transaction.atomic():
            if not _claim(pk, now):
                continue
            action = CorrectiveAction.objects.select_related("problem", "review__problem").get(
                pk=pk
            )
            evaluate(action, now)
            checked += 1
    return checked
