"""The standard formulas against hand-computed answers."""

from __future__ import annotations

from rapport.surveys import formulas


def test_csat_is_the_share_of_four_and_five() -> None:
    # 4, 5, 5 satisfied; 3, 1 not: 3 / 5 = 60 %.
    assert formulas.csat_of([4, 5, 5, 3, 1]) == 60.0
    assert formulas.csat_of([3]) == 0.0


def test_nps_is_promoters_minus_detractors() -> None:
    # 10, 9 promoters; 7, 8 passive; 6, 0 detractors over 6: (2 - 2) / 6 = 0.
    assert formulas.nps_of([10, 9, 7, 8, 6, 0]) == 0.0
    # 3 promoters, 1 detractor of 4: 75 - 25 = 50.
    assert formulas.nps_of([9, 10, 10, 2]) == 50.0
    assert formulas.nps_of([0, 6]) == -100.0


def test_ces_is_the_mean() -> None:
    assert formulas.ces_of([7, 6, 2]) == 5.0
    assert formulas.ces_of([1, 2]) == 1.5


def test_no_answers_is_not_available_not_zero() -> None:
    assert formulas.csat_of([]) is None
    assert formulas.nps_of([]) is None
    assert formulas.ces_of([]) is None
    assert formulas.response_rate(0, 0) is None
    assert formulas.response_rate(1, 4) == 25.0
