"""Training currency: per person and team, on the weighted scorecard, and overdue
assignments in the lead's digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.core import clock
from rapport.people import training_queries as queries
from rapport.people.actions import training
from rapport.people.models import Assignment
from rapport.scorecards import actions as scorecard_actions
from rapport.scorecards import digests, weighted
from rapport.scorecards.periods import period_containing
from rapport.testing import World, build_world

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _two_sessions(world: World) -> list[Assignment]:
    p = world.people
    with clock.travel_to(T0):
        plan = training.create_plan(p["manager"], name="Basics", kind="recurring",
                                    team=world.support, items=[
            {"kind": "session", "title": "Shadow", "due_days": 2},
            {"kind": "session", "title": "Refunds workshop", "due_days": 4}])  # fmt: skip
        training.assign_plan(p["manager"], plan, [p["agent"]])
    rows = list(Assignment.objects.filter(person=p["agent"]).order_by("due_at"))
    with clock.travel_to(T0 + timedelta(days=1)):
        training.mark_attended(p["lead"], rows[0])  # on time
    return rows


@pytest.mark.django_db
def test_currency_counts_what_fell_due_and_what_was_done_on_time() -> None:
    world = build_world()
    _two_sessions(world)
    agent = world.people["agent"].pk
    early = queries.currency([agent], now=T0 + timedelta(days=3))[agent]
    assert (early.counted, early.on_time, early.overdue, early.share) == (1, 1, 0, 1.0)
    later = queries.currency([agent], now=T0 + timedelta(days=5))[agent]
    assert (later.counted, later.on_time, later.overdue, later.share) == (2, 1, 1, 0.5)
    team = queries.team_currency(world.support, now=T0 + timedelta(days=5))
    assert team.share == 0.5


@pytest.mark.django_db
def test_a_weighted_scorecard_uses_training_currency_as_a_criterion() -> None:
    world = build_world()
    _two_sessions(world)
    card = scorecard_actions.create_weighted(
        world.people["manager"], provider=world.support.party, name="Support review",
        period_kind="month", criteria=[
            {"name": "Training currency", "metric": "training_currency", "weight": 100,
             "max_score": 10}],
    )  # fmt: skip
    with clock.travel_to(T0 + timedelta(days=10)):
        result = weighted.evaluate(digests.SYSTEM, card, date(2026, 3, 15))
    march = result["periods"][-1]
    assert march["criteria"][0]["value"] == 50.0 and march["score"] == 50.0


@pytest.mark.django_db
def test_overdue_training_is_in_the_leads_digest() -> None:
    world = build_world()
    _two_sessions(world)
    with clock.travel_to(T0 + timedelta(days=10)):
        content = digests.digest_content(
            world.support.party, period_containing("month", date(2026, 3, 5))
        )
    assert "Overdue training" in content["text"] and "Refunds workshop" in content["text"]
    assert "Training currency (due this period, done on time): 50.0 %" in content["text"]
