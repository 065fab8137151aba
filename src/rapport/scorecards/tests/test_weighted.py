"""Weighted scorecards: weights sum to 100, N/A criteria left out, newer periods weigh
more, standings by thresholds."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from rapport.core import clock
from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory.queries import scope_for
from rapport.scorecards import actions, weighted
from rapport.scorecards.models import Criterion
from rapport.scorecards.tests.conftest import utc
from rapport.testing import World


def criterion(
    pk: int, metric: str, weight: int, max_score: int = 10, target: float | None = None
) -> Any:
    return SimpleNamespace(pk=pk, name=metric, metric=metric, weight=weight,
                           max_score=max_score, target=target)  # fmt: skip


def test_period_score_is_the_weighted_sum() -> None:
    criteria = [criterion(1, "resolution_attainment", 50), criterion(2, "csat", 30),
                criterion(3, "manual", 20, max_score=5)]  # fmt: skip
    # 80 % → 8/10 × 50 = 40; CSAT 50 % → 15; manual 4 of 5 → 16: 71.
    result = weighted.period_score(criteria, {"resolution_attainment": 80.0, "csat": 50.0}, {3: 4})
    assert result["score"] == 71.0
    assert [c["points"] for c in result["criteria"]] == [8.0, 5.0, 4.0]


def test_criteria_without_data_are_left_out() -> None:
    criteria = [criterion(1, "resolution_attainment", 50), criterion(2, "csat", 50)]
    # No CSAT answers: the score is the attainment alone, scaled to 100.
    result = weighted.period_score(criteria, {"resolution_attainment": 90.0, "csat": None}, {})
    assert result["score"] == 90.0
    assert weighted.period_score(criteria, {}, {})["score"] is None


def test_metric_conversions() -> None:
    assert weighted.fraction(criterion(1, "nps", 10), -100.0) == 0.0
    assert weighted.fraction(criterion(1, "nps", 10), 50.0) == 0.75
    assert weighted.fraction(criterion(1, "ces", 10), 7.0) == 1.0
    assert weighted.fraction(criterion(1, "reopen_rate", 10), 10.0) == 0.9
    time = criterion(1, "resolution_median_minutes", 10, target=120)
    assert weighted.fraction(time, 60.0) == 1.0
    assert weighted.fraction(time, 240.0) == 0.5


def test_overall_weighs_newer_periods_more() -> None:
    # Oldest to newest, weights 1, 2, 3: (40 + 2·60 + 3·80) / 6 = 66.7.
    assert weighted.overall([40.0, 60.0, 80.0]) == 66.7
    assert weighted.overall([None, 50.0, None]) == 50.0
    assert weighted.overall([None]) is None


def test_standings_by_threshold(world: World) -> None:
    card = actions.create_weighted(
        None, provider=world.vendor.party, name="PrintCo quarterly",
        criteria=[{"name": "Review", "metric": "manual", "weight": 100, "max_score": 10}],
    )  # fmt: skip
    assert weighted.standing(card, 39.9) == "Very poor"
    assert weighted.standing(card, 40.0) == "Poor"
    assert weighted.standing(card, 79.0) == "Average"
    assert weighted.standing(card, 95.0) == "Excellent"
    assert weighted.standing(card, None) is None


def test_weights_must_add_up_to_100(world: World) -> None:
    with pytest.raises(Invalid, match="add up to 100"):
        actions.create_weighted(
            None, provider=world.vendor.party, name="Bad",
            criteria=[{"name": "A", "metric": "csat", "weight": 60},
                      {"name": "B", "metric": "manual", "weight": 30}],
        )  # fmt: skip
    with pytest.raises(Invalid, match="target"):
        actions.create_weighted(
            None, provider=world.vendor.party, name="Bad",
            criteria=[{"name": "Speed", "metric": "resolution_median_minutes", "weight": 100}],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.create_weighted(
            world.agent, provider=world.vendor.party, name="Mine",
            criteria=[{"name": "A", "metric": "csat", "weight": 100}],
        )  # fmt: skip


def test_a_vendor_card_with_manual_review_ratings(world: World) -> None:
    card = actions.create_weighted(
        world.manager, provider=world.vendor.party, name="PrintCo", history=3,
        criteria=[{"name": "Resolution", "metric": "resolution_attainment", "weight": 60},
                  {"name": "Review", "metric": "manual", "weight": 40, "max_score": 5}],
    )  # fmt: skip
    review = Criterion.objects.get(scorecard=card, metric="manual")
    actions.rate(world.manager, review, day=date(2026, 2, 10), score=2)
    actions.rate(world.manager, review, day=date(2026, 3, 10), score=5)
    actions.rate(world.manager, review, day=date(2026, 3, 20), score=4)  # corrects March
    with pytest.raises(Invalid):
        actions.rate(world.manager, review, day=date(2026, 3, 20), score=6)
    with clock.travel_to(utc(2026, 3, 25)):
        result = weighted.evaluate(scope_for(world.manager), card, date(2026, 3, 25))
    # No vendor tickets: only the review counts. Jan N/A, Feb 2/5 = 40, Mar 4/5 = 80.
    assert [p["score"] for p in result["periods"]] == [None, 40.0, 80.0]
    assert [p["standing"] for p in result["periods"]] == [None, "Poor", "Excellent"]
    # Overall: (2·40 + 3·80) / 5 = 64 → Average.
    assert (result["overall"], result["standing"]) == (64.0, "Average")
