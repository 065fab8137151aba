"""Effectiveness on a hand-built before/after data set whose rates are worked out here.

The action is done on 1 March; the check (60 days) compares [1 Jan − ~, 1 Mar) with
[1 Mar, 30 Apr): procedure reviews of Support per 100 Support tickets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.core import clock
from rapport.improvement import actions
from rapport.improvement.models import Cause, CorrectiveAction, Effect, ProblemStatus, Trigger
from rapport.testing import World

pytestmark = pytest.mark.django_db

DONE = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _tickets(world: World, at: datetime, n: int) -> list:
    with clock.travel_to(at):
        return [world.ticket(subject=f"Refund {i}") for i in range(n)]


def _reviews(
    world: World, tickets: list, n: int, at: datetime, cause: str = Cause.PROCEDURE
) -> None:
    for t in tickets[:n]:
        review = actions.open_review(Trigger.CSAT, f"hand:{t.pk}", ticket=t, at=at)
        assert review is not None
        actions.record(world.manager, review, cause=cause)
        actions.close(world.manager, review)


def _action(world: World) -> CorrectiveAction:
    tickets = _tickets(world, DONE - timedelta(days=100), 1)
    _reviews(world, tickets, 1, DONE - timedelta(days=100))
    proposed = CorrectiveAction.objects.get(review__ticket=tickets[0])
    # Filed without a document to change: confirmed as a plain task for the check.
    CorrectiveAction.objects.filter(pk=proposed.pk).update(kind="note")
    action = actions.confirm(
        world.manager, CorrectiveAction.objects.get(pk=proposed.pk), owner=world.lead
    )
    with clock.travel_to(DONE):
        return actions.complete(world.manager, action)


def _world_with(world: World, before: tuple[int, int], after: tuple[int, int]) -> CorrectiveAction:
    action = _action(world)
    assert action.check_on == (DONE + timedelta(days=60)).date()
    b_tickets = _tickets(world, DONE - timedelta(days=30), before[1])
    _reviews(world, b_tickets, before[0], DONE - timedelta(days=20))
    a_tickets = _tickets(world, DONE + timedelta(days=10), after[1])
    _reviews(world, a_tickets, after[0], DONE + timedelta(days=20))
    # Noise that must not count: another cause, and a review outside both windows.
    noise = _tickets(world, DONE + timedelta(days=5), 1)
    _reviews(world, noise, 1, DONE + timedelta(days=5), cause=Cause.TRAINING)
    return action


def test_fewer_reviews_per_ticket_after_is_effective(world: World) -> None:
    action = _world_with(world, before=(4, 20), after=(1, 10))
    # before: 4 reviews / 20 tickets = 20 per 100; after: 1 / (10 + 1 noise ticket) = 9.09
    assert actions.run_due_checks(DONE + timedelta(days=59)) == 0  # not due yet
    assert actions.run_due_checks(DONE + timedelta(days=61)) == 1
    action.refresh_from_db()
    assert (action.before_reviews, action.before_tickets) == (4, 20)
    assert (action.after_reviews, action.after_tickets) == (1, 11)
    assert action.before_rate == 20.0 and action.after_rate == 9.09
    assert action.effect == Effect.EFFECTIVE
    assert actions.run_due_checks(DONE + timedelta(days=62)) == 0  # claimed once


def test_as_many_or_more_after_is_not_effective_and_reopens_the_problem(world: World) -> None:
    action = _world_with(world, before=(2, 20), after=(3, 10))
    problem = actions.create_problem(world.manager, title="Refund steps", cause=Cause.PROCEDURE,
                                     reviews=[action.review])  # fmt: skip
    actions.close_problem(world.manager, problem)
    CorrectiveAction.objects.filter(pk=action.pk).update(problem=problem)
    assert actions.run_due_checks(DONE + timedelta(days=61)) == 1
    action.refresh_from_db()
    problem.refresh_from_db()
    # before: 2 / 20 = 10 per 100; after: 3 / 11 = 27.27
    assert (action.before_rate, action.after_rate) == (10.0, 27.27)
    assert action.effect == Effect.NOT_EFFECTIVE
    assert problem.status == ProblemStatus.OPEN and problem.reopened == 1


def test_not_effective_without_a_problem_opens_one(world: World) -> None:
    action = _world_with(world, before=(1, 10), after=(2, 10))
    actions.run_due_checks(DONE + timedelta(days=61))
    action.refresh_from_db()
    assert action.effect == Effect.NOT_EFFECTIVE
    assert action.problem is not None and action.problem.status == ProblemStatus.OPEN
