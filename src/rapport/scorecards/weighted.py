"""Scores of weighted scorecards: per period, overall, and the standing.

A criterion's share is its points / max score (0–1) times its weight; the period
score is the sum (0–100). Criteria without data in a period (N/A) are left out and
the others' weights scaled up to 100, so missing data neither helps nor hurts.
The overall score weighs the periods 1, 2, … n from oldest to newest.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rapport.directory.queries import Scope
from rapport.people import training_queries
from rapport.scorecards import engine
from rapport.scorecards.models import Criterion, ManualRating, WeightedScorecard
from rapport.scorecards.periods import Period, last_periods

PERCENT_METRICS = {"first_response_attainment", "resolution_attainment", "csat",
                   "survey_response_rate", "training_currency"}  # fmt: skip
# Measured by the people app from training assignments, not by the ticket engine.
TRAINING = "training_currency"
TIME_METRICS = {"first_response_median_minutes", "first_response_p90_minutes",
                "resolution_median_minutes", "resolution_p90_minutes"}  # fmt: skip
SCORABLE = sorted(PERCENT_METRICS | TIME_METRICS | {"nps", "ces", "reopen_rate"})


def fraction(criterion: Criterion, value: float | None) -> float | None:
    """How good a figure is, from 0 to 1; None when there is no figure."""
    if value is None:
        return None
    metric = criterion.metric
    if metric == Criterion.MANUAL:
        return max(0.0, min(1.0, value / criterion.max_score)) if criterion.max_score else None
    if metric in PERCENT_METRICS:
        return value / 100
    if metric == "reopen_rate":
        return 1 - value / 100
    if metric == "nps":
        return (value + 100) / 200
    if metric == "ces":
        return (value - 1) / 6
    if metric in TIME_METRICS:
        if not criterion.target:
            return None
        return 1.0 if value <= criterion.target else criterion.target / value
    return None


def period_score(
    criteria: list[Criterion], figures: dict[str, Any], manual: dict[int, float]
) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    earned: list[tuple[int, float]] = []  # weight and share of the criteria with data
    for c in criteria:
        raw = manual.get(c.pk) if c.metric == Criterion.MANUAL else figures.get(c.metric)
        share = fraction(c, raw)
        points = None if share is None else round(share * c.max_score, 2)
        parts.append({"criterion": c.pk, "name": c.name, "metric": c.metric, "weight": c.weight,
                      "max_score": c.max_score, "value": raw, "points": points})  # fmt: skip
        if share is not None:
            earned.append((c.weight, share))
    weights = sum(w for w, _ in earned)
    score = round(sum(w * share for w, share in earned) * 100 / weights, 1) if weights else None
    return {"score": score, "criteria": parts}


def overall(scores: list[float | None]) -> float | None:
    """Scores oldest first; the newest weighs most (1, 2, … n); N/A periods left out."""
    weighted = [(i + 1, s) for i, s in enumerate(scores) if s is not None]
    total = sum(w for w, _ in weighted)
    return round(sum(w * s for w, s in weighted) / total, 1) if total else None


def standing(card: WeightedScorecard, score: float | None) -> str | None:
    if score is None:
        return None
    reached = [s for s in card.standings if score >= float(s["min"])]
    if not reached:
        return None
    return str(max(reached, key=lambda s: float(s["min"]))["name"])


def evaluate(scope: Scope, card: WeightedScorecard, day: date) -> dict[str, Any]:
    """The card's scores for its last `history` periods up to the one containing `day`."""
    criteria = list(card.criteria.all())
    periods: list[Period] = last_periods(card.period_kind, day, card.history)
    manual: dict[tuple[int, date], float] = {
        (r.criterion_id, r.period_start): r.score
        for r in ManualRating.objects.filter(
            criterion__scorecard=card, period_start__in=[p.start for p in periods]
        )
    }
    need_figures = any(c.metric not in (Criterion.MANUAL, TRAINING) for c in criteria)
    need_training = any(c.metric == TRAINING for c in criteria)
    out = []
    for period in periods:
        figures: dict[str, Any] = {}
        if need_figures:
            parties = engine.measured_parties(scope)
            allowed = frozenset({card.provider_id})
            if parties is not None:
                allowed &= parties
            total = engine.Bucket()
            for bucket in engine.collect(period.since, period.until, parties=allowed).values():
                total.add(bucket)
            figures = engine.metrics_of(total, period.until)
        if need_training:
            figures[TRAINING] = training_queries.party_currency(
                card.provider_id, period.since, period.until
            )
        ratings = {cid: v for (cid, start), v in manual.items() if start == period.start}
        result = period_score(criteria, figures, ratings)
        out.append({"start": period.start, "end": period.end, "label": period.label,
                    **result, "standing": standing(card, result["score"])})  # fmt: skip
    score = overall([p["score"] for p in out])
    return {"id": card.pk, "name": card.name, "provider": card.provider_id,
            "provider_name": card.provider.name, "period_kind": card.period_kind,
            "periods": out, "overall": score, "standing": standing(card, score),
            "standings": card.standings}  # fmt: skip
