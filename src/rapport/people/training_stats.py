"""The figures of a revealed panel: agreement, Cohen's kappa and trainability.

- Agreement: the share of dimensions on which every assessor's level lies within one
  level of every other's (the usual "adjacent agreement" of interview panels).
- Cohen's kappa (Cohen 1960): κ = (pₒ − pₑ) / (1 − pₑ), pₒ the share of identical
  ratings, pₑ the chance agreement Σₖ p₁(k)·p₂(k) from each rater's own level
  frequencies; for panels of more than two, the mean over every pair. Undefined
  (None) with fewer than `MIN_KAPPA_RATINGS` paired ratings or when pₑ = 1.
- Trainability: the mean level of the second attempt minus that of the first, after
  written feedback (positive: the candidate took the feedback in).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations

MIN_KAPPA_RATINGS = 3


def agreement(ratings: Sequence[Mapping[int, int]]) -> float | None:
    """`ratings`: one {dimension: level} per assessor; None without two assessors."""
    if len(ratings) < 2:
        return None
    shared = set.intersection(*(set(r) for r in ratings))
    if not shared:
        return None
    close = sum(1 for d in shared if max(r[d] for r in ratings) - min(r[d] for r in ratings) <= 1)
    return close / len(shared)


def cohen_kappa(first: Sequence[int], second: Sequence[int]) -> float | None:
    n = len(first)
    if n != len(second) or n < MIN_KAPPA_RATINGS:
        return None
    observed = sum(1 for a, b in zip(first, second, strict=True) if a == b) / n
    p1, p2 = Counter(first), Counter(second)
    expected = sum(p1[k] * p2[k] for k in p1.keys() | p2.keys()) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def panel_kappa(ratings: Sequence[Mapping[int, int]]) -> float | None:
    values = []
    for a, b in combinations(ratings, 2):
        shared = sorted(set(a) & set(b))
        kappa = cohen_kappa([a[d] for d in shared], [b[d] for d in shared])
        if kappa is not None:
            values.append(kappa)
    return sum(values) / len(values) if values else None


def mean_level(ratings: Sequence[Mapping[int, int]]) -> float | None:
    levels = [level for r in ratings for level in r.values()]
    return sum(levels) / len(levels) if levels else None


def trainability(first: float | None, second: float | None) -> float | None:
    if first is None or second is None:
        return None
    return round(second - first, 2)
