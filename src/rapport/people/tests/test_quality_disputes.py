"""Disputes: the agent disputes, an arbitrator upholds or changes; dispute rate per
category. Coaching: acknowledged by the agent, a follow-up reminds the coach."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.core.errors import Conflict, PermissionDenied
from rapport.notifications.models import Notification
from rapport.people import quality_queries as queries
from rapport.people.actions import quality
from rapport.people.models import RubricCategory
from rapport.people.models.quality import DisputeStatus
from rapport.people.tests.qaworld import ids, ratings, rubric, support_conversation
from rapport.testing import World


def test_the_arbitrator_changes_a_disputed_review(world: World) -> None:
    r = rubric(world)
    review = quality.submit_review(world.manager, support_conversation(world), r,
                                   ratings(r, solution=1))  # fmt: skip
    assert review.agent == world.agent
    # (10 + 0 + 40 + 5) / 105 = 52.38
    assert review.score == 52.38
    solution = RubricCategory.objects.get(pk=ids(r)["Solution"])
    d = quality.dispute(world.agent, review, reason="The customer asked for exactly that.",
                        category=solution)  # fmt: skip
    with pytest.raises(Conflict):
        quality.dispute(world.agent, review, reason="Again")
    with pytest.raises(PermissionDenied):
        quality.dispute(world.lead, review, reason="Not mine")
    # The agent's lead arbitrates; the agent cannot.
    with pytest.raises(PermissionDenied):
        quality.arbitrate(world.agent, d, decision="uphold")
    d = quality.arbitrate(world.lead, d, decision="change", note="Fair point",
                          ratings={solution.pk: 5})  # fmt: skip
    assert d.status == DisputeStatus.CHANGED and d.score_before == 52.38
    review.refresh_from_db()
    assert review.score == 100.0
    assert queries.quality_score("agent", world.agent.pk) == 100.0
    assert Notification.objects.filter(recipient=world.agent, kind="qa_dispute").exists()
    rates = {row["name"]: row for row in queries.dispute_rates(r)}
    assert (rates["Solution"]["disputes"], rates["Solution"]["rate"]) == (1, 1.0)
    assert rates["Greeting"]["rate"] == 0.0


def test_an_upheld_dispute_keeps_the_score(world: World) -> None:
    r = rubric(world)
    review = quality.submit_review(world.lead, support_conversation(world), r,
                                   ratings(r, solution=3))  # fmt: skip
    d = quality.dispute(world.agent, review, reason="Too harsh")
    # The reviewer may not judge their own review.
    with pytest.raises(PermissionDenied):
        quality.arbitrate(world.lead, d, decision="uphold")
    d = quality.arbitrate(world.manager, d, decision="uphold", note="Stands")
    assert d.status == DisputeStatus.UPHELD
    review.refresh_from_db()
    assert review.score == d.score_before


def test_coaching_is_acknowledged_and_followed_up(world: World) -> None:
    r = rubric(world)
    review = quality.submit_review(
        world.lead, support_conversation(world), r, ratings(r, solution=3),
        coaching_note="Offer the workaround first.", follow_up_on=date(2026, 1, 10),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        quality.acknowledge_coaching(world.lead, review)
    quality.acknowledge_coaching(world.agent, review)
    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert quality.send_follow_up_reminders(date(2026, 1, 9)) == 0
    assert quality.send_follow_up_reminders(date(2026, 1, 10)) == 1
    assert quality.send_follow_up_reminders(date(2026, 1, 11)) == 0
    note = Notification.objects.get(recipient=world.lead, kind="qa_follow_up")
    assert "acknowledged" in note.text
