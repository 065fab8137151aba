"""The only writers of the scorecards: weighted scorecards and their review ratings, the
nightly derived figures, and the record of digests sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for
from rapport.scorecards.models import (
    BacklogSnapshot,
    Criterion,
    DailyFigures,
    DigestSent,
    ManualRating,
    RolledUpDay,
    WeightedScorecard,
)
from rapport.scorecards.periods import KINDS, period_containing
from rapport.scorecards.weighted import SCORABLE, TIME_METRICS


def _require_manager(actor: Person | None, what: str) -> None:
    if actor is not None and not scope_for(actor).sees_everything:
        raise PermissionDenied(f"Only a manager or an admin can {what}.")


def _clean_standings(standings: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in standings:
        name = str(item.get("name", "")).strip()
        low = item.get("min")
        if not name or isinstance(low, bool) or not isinstance(low, int | float):
            raise Invalid("Each standing has a name and a lowest score.", field="standings")
        if not 0 <= low <= 100:
            raise Invalid("Standing thresholds are scores from 0 to 100.", field="standings")
        out.append({"name": name[:60], "min": low})
    if not out:
        raise Invalid("Name at least one standing.", field="standings")
    return sorted(out, key=lambda s: s["min"])


def _clean_criteria(criteria: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in criteria:
        name = str(item.get("name", "")).strip()
        metric = item.get("metric", "")
        weight, max_score = item.get("weight"), item.get("max_score", 10)
        target = item.get("target")
        if not name:
            raise Invalid("Each criterion needs a name.", field="criteria")
        if metric != Criterion.MANUAL and metric not in SCORABLE:
            raise Invalid(
                f"A criterion's metric is one of {', '.join(SCORABLE)} or manual.",
                field="criteria",
            )
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
            raise Invalid("A weight is a whole number from 1 to 100.", field="criteria")
        if (
            not isinstance(max_score, int)
            or isinstance(max_score, bool)
            or not 1 <= max_score <= 1000
        ):
            raise Invalid("A maximum score is a whole number from 1 to 1000.", field="criteria")
        if metric in TIME_METRICS and not (isinstance(target, int | float) and target > 0):
            raise Invalid(f"{name}: a time criterion needs a target in minutes.", field="criteria")
        out.append({"name": name[:200], "metric": metric, "weight": weight,
                    "max_score": max_score, "target": target})  # fmt: skip
    if sum(c["weight"] for c in out) != 100:
        raise Invalid("The weights of the criteria must add up to 100.", field="criteria")
    return out


@transaction.atomic
def create_weighted(
    actor: Person | None,
    *,
    provider: Party,
    name: str,
    criteria: Sequence[dict[str, Any]],
    period_kind: str = "month",
    history: int = 4,
    standings: Sequence[dict[str, Any]] | None = None,
) -> WeightedScorecard:
    _require_manager(actor, "set up scorecards")
    if not provider.can_provide:
        raise Invalid("Scorecards measure teams, vendors and contractors.", field="provider")
    name = name.strip()
    if not name:
        raise Invalid("A scorecard needs a name.", field="name")
    if period_kind not in KINDS:
        raise Invalid(f"A period is one of {', '.join(KINDS)}.", field="period_kind")
    if not 1 <= history <= 24:
        raise Invalid("History is 1 to 24 periods.", field="history")
    cleaned = _clean_criteria(criteria)
    card = WeightedScorecard.objects.create(
        provider=provider, name=name[:200], period_kind=period_kind, history=history,
        created_at=clock.now(),
        **({"standings": _clean_standings(standings)} if standings is not None else {}),
    )  # fmt: skip
    Criterion.objects.bulk_create([Criterion(scorecard=card, **c) for c in cleaned])
    return card


@transaction.atomic
def rate(
    actor: Person | None, criterion: Criterion, *, day: date, score: float, note: str = ""
) -> ManualRating:
    """Enter (or correct) a review rating for the period containing `day`."""
    _require_manager(actor, "rate at a review")
    if criterion.metric != Criterion.MANUAL:
        raise Invalid("This criterion is measured, not rated.", field="criterion")
    if isinstance(score, bool) or not 0 <= score <= criterion.max_score:
        raise Invalid(f"The score is from 0 to {criterion.max_score}.", field="score")
    period = period_containing(criterion.scorecard.period_kind, day)
    row, _ = ManualRating.objects.update_or_create(
        criterion=criterion, period_start=period.start,
        defaults={"score": score, "note": note[:2000], "rated_by": actor,
                  "rated_at": clock.now()},
    )  # fmt: skip
    return row


# --- derived figures and digests (the system writes these; no person acts) ----------


def store_day(day: date, rows: Sequence[DailyFigures], computed_at: datetime) -> None:
    """Replace one UTC day's rolled-up figures (the caller holds the transaction, so a
    reader sees the old day or the new one, never half)."""
    DailyFigures.objects.filter(day=day).delete()
    DailyFigures.objects.bulk_create(rows, batch_size=500)
    RolledUpDay.objects.update_or_create(day=day, defaults={"computed_at": computed_at})


def store_backlog(day: date, rows: Sequence[BacklogSnapshot]) -> None:
    """Replace the backlog snapshot taken at 00:00 UTC of `day`."""
    BacklogSnapshot.objects.filter(day=day).delete()
    BacklogSnapshot.objects.bulk_create(rows, batch_size=500)


def record_digest(provider: Party, kind: str, period_start: date, recipients: list[str]) -> None:
    """Note that a digest goes out. Its row is unique per provider and period, so a second
    scheduler run raises IntegrityError here and mails nobody twice."""
    DigestSent.objects.create(
        provider=provider, period_kind=kind, period_start=period_start,
        recipients=recipients, sent_at=clock.now(),
    )  # fmt: skip
