"""The Pareto of outcome reviews over HTTP (staff-only): bars by cause, provider, team,
document or trigger with the cumulative share, and the period's word of mouth."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.improvement import pareto, queries
from rapport.improvement.api import MAX_DAYS, _staff

router = Router(tags=["improvement"])

# --- Pareto --------------------------------------------------------------------------


class ParetoParams(Schema):
    dimension: Literal["cause", "provider", "team", "document", "trigger"] = "cause"
    since: dt.date | None = Field(default=None, description="Default: 90 days ago")
    until: dt.date | None = Field(default=None, description="Exclusive; default: tomorrow")


class BarOut(Schema):
    key: str
    label: str
    count: int
    cumulative: int
    cumulative_pct: float


class WordOfMouth(Schema):
    unhappy: int = Field(description="NPS detractors and CSAT 1–2 answers (a survey once)")
    factor: int
    people_told: int = Field(description="unhappy × factor: an estimate")


class ParetoOut(Schema):
    dimension: str
    since: dt.date
    until: dt.date
    total: int
    bars: list[BarOut]
    word_of_mouth: WordOfMouth


def period_of(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    today = clock.now().date()
    until = until or today + dt.timedelta(days=1)
    since = since or until - dt.timedelta(days=90)
    if since >= until:
        raise Invalid("since comes before until.", field="since")
    if (until - since).days > MAX_DAYS:
        raise Invalid(f"A period of at most {MAX_DAYS} days.", field="since")
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(until, dt.time(), tzinfo=dt.UTC)


@router.get(
    "/improvement/pareto",
    response=ParetoOut,
    summary="Counted reviews of a period by one dimension, with the cumulative %",
)
def get_pareto(request: HttpRequest, params: Query[ParetoParams]) -> dict[str, Any]:
    _staff(request, "read the Pareto")
    since, until = period_of(params.since, params.until)
    bars = pareto.pareto(since, until, params.dimension)
    factor = queries.preferences().word_of_mouth_factor
    return {
        "dimension": params.dimension,
        "since": since.date(),
        "until": until.date(),
        "total": sum(b.count for b in bars),
        "bars": [b.__dict__ for b in bars],
        "word_of_mouth": queries.word_of_mouth(since, until, factor),
    }
