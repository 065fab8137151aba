"""Scorecards: every figure per provider, agreement and agent; weighted scorecards."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for
from rapport.scorecards import actions, engine, queries, weighted
from rapport.scorecards.models import Criterion
from rapport.scorecards.periods import last_periods, period_containing

router = Router(tags=["scorecards"])
PeriodKind = Literal["week", "month", "quarter"]


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class Figures(Schema):
    volume_in: int
    solved: int
    backlog: int
    backlog_oldest_days: float | None
    backlog_over_7_days: int
    first_response_attainment: float | None = Field(description="Percent; N/A: null")
    resolution_attainment: float | None
    first_response_median_minutes: float | None = Field(description="Business minutes")
    first_response_p90_minutes: float | None
    resolution_median_minutes: float | None
    resolution_p90_minutes: float | None
    reopen_rate: float | None
    csat: float | None = Field(description="Share of 4–5 answers, percent")
    nps: float | None = Field(description="% 9–10 minus % 0–6")
    ces: float | None = Field(description="Mean answer, 1–7")
    survey_response_rate: float | None
    surveys_answered: int


class Trend(Schema):
    volume_in: float | None
    solved: float | None
    backlog: float | None
    backlog_oldest_days: float | None
    backlog_over_7_days: float | None
    first_response_attainment: float | None
    resolution_attainment: float | None
    first_response_median_minutes: float | None
    first_response_p90_minutes: float | None
    resolution_median_minutes: float | None
    resolution_p90_minutes: float | None
    reopen_rate: float | None
    csat: float | None
    nps: float | None
    ces: float | None
    survey_response_rate: float | None
    surveys_answered: float | None


class Row(Schema):
    id: int
    name: str
    kind: str
    metrics: Figures
    previous: Figures
    trend: Trend = Field(description="This period minus the previous one")
    watermelon: bool = Field(description="Attainment green while satisfaction is poor")


class ScorecardsOut(Schema):
    period: str
    label: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    dimension: str
    rows: list[Row]


class ScorecardParams(Schema):
    period: PeriodKind = "month"
    date: dt.date | None = Field(default=None, description="A day in the period; default: today")
    dimension: Literal["provider", "agreement", "agent"] = "provider"


@router.get("/scorecards", response=ScorecardsOut,
            summary="Scorecards of a period, with the previous period and trend")  # fmt: skip
def get_scorecards(request: HttpRequest, params: Query[ScorecardParams]) -> dict[str, Any]:
    period = period_containing(params.period, params.date or clock.now().date())
    rows = engine.scorecards(scope_for(_me(request)), period, params.dimension)
    return {"period": period.kind, "label": period.label, "start": period.start,
            "end": period.end, "previous_start": period.previous().start,
            "dimension": params.dimension, "rows": rows}  # fmt: skip


class Point(Figures):
    start: dt.date
    label: str


class SeriesParams(Schema):
    period: PeriodKind = "month"
    date: dt.date | None = None
    count: int = Field(default=6, ge=1, le=24)
    provider: int | None = Field(default=None, ge=1, le=MAX_ID, description="Provider party id")


@router.get("/scorecards/series", response=list[Point],
            summary="Totals per period, oldest first (trend charts)")  # fmt: skip
def get_series(request: HttpRequest, params: Query[SeriesParams]) -> list[dict[str, Any]]:
    periods = last_periods(params.period, params.date or clock.now().date(), params.count)
    points = engine.series(scope_for(_me(request)), periods, provider=params.provider)
    return [{**p, "start": p["period"].start, "label": p["period"].label} for p in points]


class CriterionIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    metric: str = Field(description=f"One of {', '.join(weighted.SCORABLE)}, or manual")
    weight: int = Field(ge=1, le=100)
    max_score: int = Field(default=10, ge=1, le=1000)
    target: float | None = Field(
        default=None, gt=0, le=10_000_000,
        description="Time metrics: full marks at or under this many minutes",
    )  # fmt: skip


class Standing(Schema):
    name: str = Field(min_length=1, max_length=60)
    min: float = Field(ge=0, le=100)


class WeightedIn(Input):
    provider: int = Field(ge=1, le=MAX_ID, description="Provider party id")
    name: str = Field(min_length=1, max_length=200)
    period_kind: PeriodKind = "month"
    history: int = Field(default=4, ge=1, le=24)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=30)
    standings: list[Standing] | None = Field(default=None, max_length=10)


class CriterionScore(Schema):
    criterion: int
    name: str
    metric: str
    weight: int
    max_score: int
    value: float | None
    points: float | None


class PeriodScore(Schema):
    start: dt.date
    end: dt.date
    label: str
    score: float | None
    standing: str | None
    criteria: list[CriterionScore]


class WeightedOut(Schema):
    id: int
    name: str
    provider: int
    provider_name: str
    period_kind: str
    periods: list[PeriodScore]
    overall: float | None = Field(description="Newer periods weigh more")
    standing: str | None
    standings: list[Standing]


@router.get("/scorecards/weighted", response=list[WeightedOut], summary="Weighted scorecards")
def list_weighted(request: HttpRequest) -> list[dict[str, Any]]:
    scope = scope_for(_me(request))
    today = clock.now().date()
    return [weighted.evaluate(scope, c, today) for c in queries.visible_weighted(scope)[:50]]


@router.post("/scorecards/weighted", response={201: WeightedOut},
             summary="Set up a weighted scorecard (managers)")  # fmt: skip
def create_weighted(request: HttpRequest, body: WeightedIn) -> Status[dict[str, Any]]:
    provider = Party.objects.filter(pk=body.provider).first()
    if provider is None:
        raise NotFound(f"There is no party {body.provider}.", field="provider")
    card = actions.create_weighted(
        _me(request), provider=provider, name=body.name, period_kind=body.period_kind,
        history=body.history, criteria=[c.dict() for c in body.criteria],
        standings=[s.dict() for s in body.standings] if body.standings is not None else None,
    )  # fmt: skip
    scope = scope_for(_me(request))
    return Status(
        201, weighted.evaluate(scope, queries.get_weighted(scope, card.pk), clock.now().date())
    )


@router.get("/scorecards/weighted/{scorecard_id}", response=WeightedOut,
            summary="A weighted scorecard's period scores, overall score and standing")  # fmt: skip
def get_weighted(request: HttpRequest, scorecard_id: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    card = queries.get_weighted(scope, scorecard_id)
    return weighted.evaluate(scope, card, clock.now().date())


class RatingIn(Input):
    criterion: int = Field(ge=1, le=MAX_ID)
    date: dt.date = Field(description="A day in the period rated")
    score: float = Field(ge=0, le=1000)
    note: str = Field(default="", max_length=2000)


@router.put("/scorecards/weighted/{scorecard_id}/ratings", response=WeightedOut,
            summary="Enter a review rating for a manual criterion (managers)")  # fmt: skip
def put_rating(request: HttpRequest, scorecard_id: int, body: RatingIn) -> dict[str, Any]:
    scope = scope_for(_me(request))
    card = queries.get_weighted(scope, scorecard_id)
    criterion = Criterion.objects.filter(pk=body.criterion, scorecard=card).first()
    if criterion is None:
        raise NotFound(f"This scorecard has no criterion {body.criterion}.", field="criterion")
    actions.rate(_me(request), criterion, day=body.date, score=body.score, note=body.note)
    return weighted.evaluate(scope, card, clock.now().date())
