"""Agreement, Cohen's kappa and trainability against values worked out by hand."""

from __future__ import annotations

import pytest

from rapport.people import training_stats as stats


def test_kappa_of_a_worked_example() -> None:
    # Two assessors, six dimensions:
    #   A: 3 4 4 2 5 3     B: 3 4 3 2 5 4
    # Observed agreement: 4 of 6 identical = 0.6667.
    # A's frequencies: 2:1 3:2 4:2 5:1; B's: 2:1 3:2 4:2 5:1 (same), so
    # chance = (1·1 + 2·2 + 2·2 + 1·1) / 36 = 10/36 = 0.2778.
    # kappa = (0.6667 − 0.2778) / (1 − 0.2778) = 0.3889 / 0.7222 = 0.5385.
    a = [3, 4, 4, 2, 5, 3]
    b = [3, 4, 3, 2, 5, 4]
    assert stats.cohen_kappa(a, b) == pytest.approx(7 / 13)


def test_kappa_needs_enough_ratings_and_is_one_for_identical() -> None:
    assert stats.cohen_kappa([3, 4], [3, 4]) is None
    assert stats.cohen_kappa([3, 4, 5], [3, 4, 5]) == pytest.approx(1.0)
    assert stats.cohen_kappa([3, 3, 3], [3, 3, 3]) is None  # chance agreement is 1


def test_agreement_is_the_share_within_one_level() -> None:
    # Dimensions 1 and 2 within one level, 3 two apart, 4 identical: 3 of 4.
    a = {1: 3, 2: 4, 3: 1, 4: 5}
    b = {1: 4, 2: 4, 3: 3, 4: 5}
    assert stats.agreement([a, b]) == 0.75
    assert stats.agreement([a]) is None


def test_trainability_is_the_change_between_attempts() -> None:
    # First attempt: levels 2, 3, 2, 3 → mean 2.5; after feedback: 3, 4, 4, 3 → 3.5.
    first = stats.mean_level([{1: 2, 2: 3}, {1: 2, 2: 3}])
    second = stats.mean_level([{1: 3, 2: 4}, {1: 4, 2: 3}])
    assert (first, second) == (2.5, 3.5)
    assert stats.trainability(first, second) == 1.0
    assert stats.trainability(None, second) is None
