"""A vendor's conversation quality counts in its weighted scorecard (criterion
"quality_score", the mean review score of the period)."""

from __future__ import annotations

from rapport.core import clock
from rapport.directory.queries import scope_for
from rapport.people.actions import quality
from rapport.people.tests.qaworld import ratings, rubric, vendor_conversation
from rapport.scorecards import actions as scorecard_actions
from rapport.scorecards import weighted
from rapport.testing import World


def test_quality_is_a_weighted_scorecard_criterion(world: World) -> None:
    r = rubric(world)
    quality.submit_review(world.lead, vendor_conversation(world), r, ratings(r))
    quality.submit_review(world.lead, vendor_conversation(world), r, ratings(r, gdpr=0))
    card = scorecard_actions.create_weighted(
        world.manager, provider=world.vendor.party, name="PrintCo quality",
        criteria=[{"name": "Conversation quality", "metric": "quality_score", "weight": 100,
                   "max_score": 10}],
    )  # fmt: skip
    result = weighted.evaluate(scope_for(world.manager), card, clock.now().date())
    latest = result["periods"][-1]
    part = latest["criteria"][0]
    # Reviews of 100 and 0 (critical fail): a quality score of 50 → 5 of 10 points.
    assert (part["value"], part["points"], latest["score"]) == (50.0, 5.0, 50.0)
