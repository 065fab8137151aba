"""The Pareto equals a plain query, ends at 100 %, leaves out unagreed personnel
causes, and its bars link to their reviews."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from rapport.improvement import actions, pareto, queries
from rapport.improvement.models import Cause, Review, Trigger
from rapport.policies import actions as policy_actions
from rapport.surveys.models import Survey
from rapport.testing import World

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2026, 4, 1, tzinfo=UTC)
MIX = [Cause.PROCEDURE] * 5 + [Cause.TRAINING] * 3 + [Cause.POLICY, Cause.PERSONNEL]


def _world(world: World) -> None:
    doc = policy_actions.create_document(
        world.lead, kind="procedure", title="Refunds", body="Ask for the receipt.",
        owner=world.lead, team=world.support,
    )  # fmt: skip
    for i, cause in enumerate(MIX):
        ticket = world.handoff() if i % 4 == 0 else world.ticket()
        trigger = Trigger.BREACH if i % 2 else Trigger.CSAT
        review = actions.open_review(trigger, f"p:{i}", ticket=ticket,
                                     at=SINCE + timedelta(days=i))  # fmt: skip
        assert review is not None
        docs = [doc] if cause == Cause.PROCEDURE else []
        actions.record(world.agent, review, cause=cause, whys=["why"], documents=docs)
        actions.close(world.agent, review)
    # Open, and outside the period: neither counts.
    actions.open_review(Trigger.CSAT, "p:open", ticket=world.ticket(), at=SINCE)
    late = actions.open_review(Trigger.CSAT, "p:late", ticket=world.ticket(), at=UNTIL)
    assert late is not None
    actions.record(world.agent, late, cause=Cause.POLICY)
    actions.close(world.agent, late)


@pytest.mark.parametrize("dimension", pareto.DIMENSIONS)
def test_counts_equal_a_plain_query_and_end_at_100(world: World, dimension: str) -> None:
    _world(world)
    bars = pareto.pareto(SINCE, UNTIL, dimension)
    plain: Counter[str] = Counter()
    for r in Review.objects.all():
        if r.status != "closed" or not (SINCE <= r.opened_at < UNTIL):
            continue
        if r.cause == Cause.PERSONNEL and r.agreed_by_id is None:
            continue
        docs = [d.pk for d in r.documents.all()]
        value = {
            "cause": r.cause, "provider": r.responsible_id, "team": r.team_id,
            "trigger": r.trigger, "document": docs[0] if docs else None,
        }[dimension]  # fmt: skip
        plain["none" if value is None else str(value)] += 1
    assert {b.key: b.count for b in bars} == dict(plain)
    assert [b.count for b in bars] == sorted((b.count for b in bars), reverse=True)
    assert bars[-1].cumulative_pct == 100.0
    assert sum(b.count for b in bars) == len(MIX) - 1  # personnel not agreed


def test_causes_and_the_agreed_personnel_review(world: World) -> None:
    _world(world)
    bars = pareto.pareto(SINCE, UNTIL, "cause")
    assert [(b.key, b.count, b.cumulative_pct) for b in bars] == [
        ("procedure", 5, 55.6), ("training", 3, 88.9), ("policy", 1, 100.0),
    ]  # fmt: skip
    personnel = Review.objects.get(cause=Cause.PERSONNEL)
    actions.agree_personnel(world.manager, personnel)
    assert [b.key for b in pareto.pareto(SINCE, UNTIL, "cause")][-1] in ("personnel", "policy")
    assert sum(b.count for b in pareto.pareto(SINCE, UNTIL, "cause")) == len(MIX)


def test_a_bar_filters_to_its_reviews(world: World) -> None:
    _world(world)
    for dimension in pareto.DIMENSIONS:
        for bar in pareto.pareto(SINCE, UNTIL, dimension):
            qs = pareto.filter_reviews(pareto.counted(SINCE, UNTIL), dimension, bar.key)
            assert qs.count() == bar.count, (dimension, bar)


def test_svg_links_every_bar(world: World) -> None:
    _world(world)
    bars = pareto.pareto(SINCE, UNTIL, "cause")
    drawn = pareto.svg(bars, lambda b: f"/x?key={b.key}")
    assert drawn.count("<a href=") == len(bars) and "<polyline" in drawn
    assert "<script" not in drawn


def test_word_of_mouth(world: World) -> None:
    assert queries.word_of_mouth(SINCE, UNTIL, 9) == {"unhappy": 0, "factor": 9, "people_told": 0}
    assert not Survey.objects.exists()
