"""The standard survey formulas, on counts so they work on SQL aggregates too.

CSAT = share of 4–5 answers (percent); NPS = % promoters (9–10) minus % detractors
(0–6); CES = mean answer (1–7). No answers: None (shown as N/A), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable


def csat(satisfied: int, answers: int) -> float | None:
    return round(100 * satisfied / answers, 1) if answers else None


def nps(promoters: int, detractors: int, answers: int) -> float | None:
    return round(100 * (promoters - detractors) / answers, 1) if answers else None


def ces(total: int, answers: int) -> float | None:
    return round(total / answers, 2) if answers else None


def response_rate(answered: int, sent: int) -> float | None:
    return round(100 * answered / sent, 1) if sent else None


def csat_of(values: Iterable[int]) -> float | None:
    items = list(values)
    return csat(sum(1 for v in items if v >= 4), len(items))


def nps_of(values: Iterable[int]) -> float | None:
    items = list(values)
    return nps(sum(1 for v in items if v >= 9), sum(1 for v in items if v <= 6), len(items))


def ces_of(values: Iterable[int]) -> float | None:
    items = list(values)
    return ces(sum(items), len(items))


# The watermelon check: green on the outside (every attainment at or above this), red
# inside (CSAT below, or NPS below zero). Here, below the apps that flag it (scorecards
# show it, improvement opens a review for it), so they share one rule.
WATERMELON_ATTAINMENT = 90.0
WATERMELON_CSAT = 70.0
WATERMELON_NPS = 0.0


def is_watermelon(attainments: Iterable[float | None], csat: float | None,
                  nps: float | None) -> bool:  # fmt: skip
    """Green SLA attainment while the clients are unhappy."""
    rates = [a for a in attainments if a is not None]
    if not rates or min(rates) < WATERMELON_ATTAINMENT:
        return False
    return (csat is not None and csat < WATERMELON_CSAT) or (
        nps is not None and nps < WATERMELON_NPS
    )
