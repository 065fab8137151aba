"""The published formulas of quality reviews, calibration and staff pulse, as pure
functions (no database), so each is tested against hand-computed values.

Review score — Zendesk QA ("About the Zendesk QA Reviews dashboard calculations"):
category score = (rating − scale minimum) / (scale maximum − scale minimum); review
score = Σ(category score × weight) / Σ(weights of the rated categories) × 100; a
category rated N/A counts in neither sum; a critical category rated below 50 % sets the
whole review to 0. A bonus category (Rapport's addition, as MaestroQA's "bonus
points") adds its weighted score to the numerator only — it can lift a review, never
lower it — and the result is capped at 100.

Quality score (Zendesk QA's IQS) = the mean of the review scores of a period.

eNPS = % of 9–10 answers − % of 0–6 answers (Bain's NPS rule applied to staff).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol


class CategoryLike(Protocol):
    weight: int
    critical: bool
    bonus: bool

    def normalised(self, rating: int) -> float: ...


@dataclass(frozen=True)
class ReviewResult:
    score: float | None  # None: every category N/A
    critical_failed: bool


def review_score(ratings: Iterable[tuple[CategoryLike, int | None]]) -> ReviewResult:
    numerator = 0.0
    denominator = 0
    bonus = 0.0
    critical_failed = False
    rated = False
    for category, value in ratings:
        if value is None:
            continue
        rated = True
        share = category.normalised(value)
        if category.critical and share < 0.5:
            critical_failed = True
        if category.bonus:
            bonus += share * category.weight
            continue
        numerator += share * category.weight
        denominator += category.weight
    if not rated:
        return ReviewResult(None, False)
    if critical_failed:
        return ReviewResult(0.0, True)
    if denominator == 0:
        # Only bonus categories were rated: nothing to measure the bonus against.
        return ReviewResult(None, False)
    return ReviewResult(round(min(100.0, (numerator + bonus) / denominator * 100), 2), False)


def quality_score(scores: Iterable[float | None]) -> float | None:
    """IQS: the mean of the review scores (reviews with no score do not count)."""
    values = [s for s in scores if s is not None]
    return round(sum(values) / len(values), 2) if values else None


# --- calibration ---------------------------------------------------------------------

AGREEMENT_POINTS = 10.0


def agreement(scores: Sequence[float | None], *, exact: bool = False) -> float | None:
    """The share of reviewer pairs whose scores (0–100) differ by at most ±10 points;
    N/A answers take no part. None when fewer than two scored."""
    values = [s for s in scores if s is not None]
    pairs = list(combinations(values, 2))
    if not pairs:
        return None
    close = sum(1 for a, b in pairs if abs(a - b) <= AGREEMENT_POINTS + 1e-9)
    return close / len(pairs) if exact else round(close / len(pairs), 4)


def fleiss_kappa(subjects: Sequence[Sequence[object]]) -> float | None:
    """Fleiss' kappa over subjects each rated by the same number of raters (n ≥ 2);
    every rating is a label (a level, or "N/A"). Equal to Scott's pi for two raters.
    P̄ = mean over subjects of Σ n_ij(n_ij − 1) / (n(n − 1)); P̄e = Σ p_j²;
    κ = (P̄ − P̄e) / (1 − P̄e). Perfect agreement on a single label: 1."""
    subjects = [s for s in subjects if len(s) >= 2]
    if not subjects:
        return None
    n = len(subjects[0])
    subjects = [s for s in subjects if len(s) == n]
    totals: Counter[object] = Counter()
    agreement_sum = 0.0
    for ratings in subjects:
        counts = Counter(ratings)
        totals.update(counts)
        agreement_sum += sum(c * (c - 1) for c in counts.values()) / (n * (n - 1))
    p_bar = agreement_sum / len(subjects)
    all_ratings = n * len(subjects)
    p_e = sum((c / all_ratings) ** 2 for c in totals.values())
    if p_e >= 1.0:
        return 1.0
    return round((p_bar - p_e) / (1 - p_e), 4)


# --- staff pulse ------------------------------------------------------------------


def enps(answers: Iterable[int]) -> float | None:
    values = list(answers)
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round((promoters - detractors) / len(values) * 100, 1)


def suppressed_groups(
    parent_count: int, children: Mapping[str, int], threshold: int
) -> tuple[set[str], bool]:
    """Which child groups (and whether the parent) must be hidden.

    A group with fewer answers than the threshold is hidden. Hiding is not enough when
    the parent is shown: parent − the shown children would give the hidden ones back
    (the subtraction attack). So while the answers left over (parent − shown children)
    are more than none and fewer than the threshold, the smallest shown child is hidden
    too; when no child is left to hide, the parent is hidden instead.
    Returns (hidden children, parent hidden)."""
    hidden = {name for name, count in children.items() if count < threshold}
    parent_hidden = parent_count < threshold
    if parent_hidden:
        return hidden, True
    while True:
        shown = {n: c for n, c in children.items() if n not in hidden}
        residue = parent_count - sum(shown.values())
        if residue == 0 or residue >= threshold:
            return hidden, False
        if not shown:
            return hidden, True
        smallest = min(shown, key=lambda name: (shown[name], name))
        hidden.add(smallest)
