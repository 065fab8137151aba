"""Review score, quality score, calibration agreement and kappa, eNPS and the anonymity
rule, against hand-computed values and Zendesk QA's published example."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from rapport.people.quality_formulas import (
    agreement,
    enps,
    fleiss_kappa,
    quality_score,
    review_score,
    suppressed_groups,
)


@dataclass
class Cat:
    scale: int
    weight: int
    critical: bool = False
    bonus: bool = False

    def normalised(self, rating: int) -> float:
        low, high = (0, 1) if self.scale == 2 else (1, self.scale)
        return (rating - low) / (high - low)


def test_category_scores_follow_zendesk_qas_scale_table() -> None:
    # Zendesk QA: 3-point 0/50/100 %, 4-point 0/33.3/66.6/100 %, 5-point 0/25/…/100 %.
    assert [Cat(3, 1).normalised(v) for v in (1, 2, 3)] == [0, 0.5, 1]
    assert [round(Cat(4, 1).normalised(v) * 100, 1) for v in (1, 2, 3, 4)] == [
        0, 33.3, 66.7, 100]  # fmt: skip
    assert [Cat(5, 1).normalised(v) for v in (1, 2, 3, 4, 5)] == [0, 0.25, 0.5, 0.75, 1]
    assert [Cat(2, 1).normalised(v) for v in (0, 1)] == [0, 1]


def test_review_score_is_the_weighted_mean_of_rated_categories() -> None:
    # 5-point rated 4 (75 %) × 2 + 3-point rated 2 (50 %) × 1 + binary yes × 1
    # = (150 + 50 + 100) / 4 = 75.
    cats = [Cat(5, 2), Cat(3, 1), Cat(2, 1)]
    assert review_score(zip(cats, [4, 2, 1], strict=True)).score == 75.0


def test_na_counts_in_neither_sum() -> None:
    cats = [Cat(5, 2), Cat(3, 1), Cat(2, 1)]
    # Without the 3-point category: (150 + 100) / 3 = 83.33.
    assert review_score(zip(cats, [4, None, 1], strict=True)).score == 83.33
    assert review_score(zip(cats, [None, None, None], strict=True)).score is None


def test_a_critical_category_below_half_zeroes_the_review() -> None:
    cats = [Cat(5, 2), Cat(2, 1, critical=True)]
    failed = review_score(zip(cats, [5, 0], strict=True))
    assert (failed.score, failed.critical_failed) == (0.0, True)
    # 50 % is not below 50 %: a 3-point critical rated 2 passes.
    cats = [Cat(5, 2), Cat(3, 1, critical=True)]
    passed = review_score(zip(cats, [5, 2], strict=True))
    assert (passed.score, passed.critical_failed) == (round(250 / 3, 2), False)


def test_a_bonus_lifts_but_never_lowers_and_is_capped() -> None:
    cats = [Cat(5, 2), Cat(2, 1), Cat(2, 1, bonus=True)]
    # (50 × 2 / 100 … ) base (2 × 0.5 + 1 × 1) / 3 = 66.67; bonus yes adds 1 / 3.
    assert review_score(zip(cats, [3, 1, 1], strict=True)).score == 100.0
    assert review_score(zip(cats, [3, 0, 1], strict=True)).score == round(200 / 3, 2)
    assert review_score(zip(cats, [3, 0, 0], strict=True)).score == round(100 / 3, 2)
    assert review_score(zip(cats, [3, 0, None], strict=True)).score == round(100 / 3, 2)


def test_zendesk_qas_published_iqs_example() -> None:
    """Zendesk QA, "About the Zendesk QA Reviews dashboard calculations": five reviews
    scoring 100 %, 9.91 %, 63.96 %, 90.99 % and 0 % give an IQS of 52.97 %.

    The reviews are rebuilt here from four binary categories weighted 50, 40, 10 and 11
    (Σ 111) plus a critical one: 11/111 = 9.91 %, 71/111 = 63.96 %, 101/111 = 90.99 %,
    and a failed critical category gives 0 %."""
    cats = [Cat(2, 50), Cat(2, 40), Cat(2, 10), Cat(2, 11), Cat(2, 5, critical=True)]
    reviews = [
        [1, 1, 1, 1, None],
        [0, 0, 0, 1, None],
        [1, 0, 1, 1, None],
        [1, 1, 0, 1, None],
        [1, 1, 1, 1, 0],
    ]
    scores = [review_score(zip(cats, r, strict=True)).score for r in reviews]
    assert scores == [100.0, 9.91, 63.96, 90.99, 0.0]
    assert quality_score(scores) == 52.97


def test_quality_score_skips_reviews_without_a_score() -> None:
    assert quality_score([80.0, None, 60.0]) == 70.0
    assert quality_score([]) is None


def test_agreement_within_ten_points() -> None:
    # Pairs: (70, 75) 5 ✓, (70, 90) 20 ✗, (75, 90) 15 ✗ → 1/3.
    assert agreement([70, 75, 90]) == 0.3333
    assert agreement([50, 60]) == 1.0  # exactly ±10 agrees
    assert agreement([80, None]) is None


def test_fleiss_kappa_against_a_hand_computed_table() -> None:
    # Three raters, four conversations, levels a/b:
    #   [a a a] → Σ n(n−1) = 6 → P1 = 6/6 = 1
    #   [a a b] → 2 → 1/3;  [b b b] → 1;  [a b b] → 1/3
    # P̄ = (1 + 1/3 + 1 + 1/3) / 4 = 2/3; p_a = 6/12, p_b = 6/12 → P̄e = 1/2
    # κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    table = [["a", "a", "a"], ["a", "a", "b"], ["b", "b", "b"], ["a", "b", "b"]]
    assert fleiss_kappa(table) == 0.3333
    assert fleiss_kappa([["x", "x"], ["x", "x"]]) == 1.0
    # Two raters who never agree on two balanced labels: P̄ = 0, P̄e = 1/2 → κ = −1.
    assert fleiss_kappa([["a", "b"], ["b", "a"]]) == -1.0


def test_enps_is_promoters_minus_detractors() -> None:
    # 9, 10, 10 promoters; 7, 8 passive; 0, 6 detractors → (3 − 2) / 7 = 14.3.
    assert enps([9, 10, 10, 7, 8, 0, 6]) == 14.3
    assert enps([]) is None


@pytest.mark.parametrize(
    ("parent", "children", "hidden", "parent_hidden"),
    [
        (20, {"a": 10, "b": 6, "c": 4}, {"c", "b"}, False),  # 20 − 16 = 4 would reveal c
        (20, {"a": 10, "b": 10}, set(), False),
        (15, {"a": 6, "b": 5, "c": 4}, {"c", "b"}, False),  # residue 4 → hide b too: 9 ≥ 5
        (4, {"a": 4}, {"a"}, True),
        (9, {"a": 5, "b": 4}, {"a", "b"}, False),  # a hidden too; the parent's 9 reveal no one
        (12, {"a": 6, "b": 6}, set(), False),  # 0 left over: nothing revealed
        (14, {"a": 6, "b": 6}, {"a"}, False),  # 2 answers outside any team: 14 − 12 = 2
    ],
)
def test_suppression_prevents_subtraction(
    parent: int, children: dict[str, int], hidden: set[str], parent_hidden: bool
) -> None:
    got = suppressed_groups(parent, children, 5)
    assert got == (hidden, parent_hidden)
