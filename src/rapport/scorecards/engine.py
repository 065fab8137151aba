"""Scorecard figures per provider, agreement and agent for a period, by SQL aggregates.

Approach: no precomputed rollups. Six grouped aggregate queries per period, each
grouped once by (provider, agreement, agent) and summed up in Python to each
dimension, read the tickets, clocks and surveys of the period over indexed
columns; the figures are always current and need no upkeep. A scorecard with its
previous period is twelve queries plus three for names, whatever the data size.

Rules (each figure of the period [since, until)):
- volume in: tickets created; solved: tickets solved (`solved_at`).
- backlog: tickets created before the end and not solved by then; its age is
  measured at the end of the period (oldest, and how many older than 7 days).
- attainment: the SLA engine's rule (sla.queries) over the first-response and
  resolution clocks started in the period; medians and p90 are its business times.
- reopen rate: share of the solved tickets that were ever reopened.
- surveys of tickets solved in the period, credited to the provider, agreement and
  agent recorded on the survey: CSAT, NPS, CES (surveys.formulas), response rate
  = answered / sent.
- trend: this period minus the previous one (None when either is N/A).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.core.choices import Clock
from rapport.directory.models import Party, Person
from rapport.directory.queries import Scope
from rapport.scorecards.periods import Period
from rapport.sla.business_time import MINUTE_US
from rapport.sla.models import ClockState, TicketClock
from rapport.sla.queries import attainment_counts, median_minutes, p90_minutes
from rapport.surveys import formulas
from rapport.surveys.models import Survey, SurveyState
from rapport.surveys.queries import measured_parties
from rapport.tickets.models import Ticket

DIMENSIONS = ("provider", "agreement", "agent")
# The watermelon check lives with the survey formulas, below the apps that use it.
WATERMELON_ATTAINMENT = formulas.WATERMELON_ATTAINMENT
WATERMELON_CSAT = formulas.WATERMELON_CSAT
WATERMELON_NPS = formulas.WATERMELON_NPS
AGE_DAYS = 7

Key = tuple[int, int | None, int | None]  # provider party, agreement, agent

COUNTS = (
    "volume_in", "solved", "reopened", "backlog", "backlog_over_7_days",
    "fr_achieved", "fr_breached", "fr_pending", "res_achieved", "res_breached", "res_pending",
    "surveys_sent", "surveys_answered", "csat_n", "csat_sat", "ces_n", "ces_sum",
    "nps_n", "nps_pro", "nps_det",
)  # fmt: skip

METRICS = (
    "volume_in", "solved", "backlog", "backlog_oldest_days", "backlog_over_7_days",
    "first_response_attainment", "resolution_attainment",
    "first_response_median_minutes", "first_response_p90_minutes",
    "resolution_median_minutes", "resolution_p90_minutes",
    "reopen_rate", "csat", "nps", "ces", "survey_response_rate", "surveys_answered",
)  # fmt: skip


@dataclass
class Bucket:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    oldest: datetime | None = None
    fr_minutes: list[float] = field(default_factory=list)
    res_minutes: list[float] = field(default_factory=list)

    def add(self, other: Bucket) -> None:
        for name, value in other.counts.items():
            self.counts[name] += value
        if other.oldest is not None and (self.oldest is None or other.oldest < self.oldest):
            self.oldest = other.oldest
        self.fr_minutes += other.fr_minutes
        self.res_minutes += other.res_minutes


def _rate(achieved: int, breached: int) -> float | None:
    decided = achieved + breached
    return round(100 * achieved / decided, 1) if decided else None


def metrics_of(bucket: Bucket, until: datetime) -> dict[str, Any]:
    c = bucket.counts
    oldest = bucket.oldest
    return {
        "volume_in": c["volume_in"],
        "solved": c["solved"],
        "backlog": c["backlog"],
        "backlog_oldest_days": round((until - oldest).total_seconds() / 86400, 1)
        if oldest is not None
        else None,
        "backlog_over_7_days": c["backlog_over_7_days"],
        "first_response_attainment": _rate(c["fr_achieved"], c["fr_breached"]),
        "resolution_attainment": _rate(c["res_achieved"], c["res_breached"]),
        "first_response_median_minutes": median_minutes(bucket.fr_minutes),
        "first_response_p90_minutes": p90_minutes(bucket.fr_minutes),
        "resolution_median_minutes": median_minutes(bucket.res_minutes),
        "resolution_p90_minutes": p90_minutes(bucket.res_minutes),
        "reopen_rate": round(100 * c["reopened"] / c["solved"], 1) if c["solved"] else None,
        "csat": formulas.csat(c["csat_sat"], c["csat_n"]),
        "nps": formulas.nps(c["nps_pro"], c["nps_det"], c["nps_n"]),
        "ces": formulas.ces(c["ces_sum"], c["ces_n"]),
        "survey_response_rate": formulas.response_rate(c["surveys_answered"], c["surveys_sent"]),
        "surveys_answered": c["surveys_answered"],
    }


def is_watermelon(m: dict[str, Any]) -> bool:
    """Green SLA attainment while the clients are unhappy (surveys.formulas)."""
    attainments = (m["first_response_attainment"], m["resolution_attainment"])
    return formulas.is_watermelon(attainments, m["csat"], m["nps"])


def collect(
    since: datetime,
    until: datetime,
    *,
    parties: frozenset[int] | None = None,
    now: datetime | None = None,
) -> dict[Key, Bucket]:
    """The figures of [since, until) per (provider, agreement, agent).

    Days already rolled up (rollups.py) are read from DailyFigures, the rest live;
    the backlog at the end comes from the snapshot of that midnight when there is one.
    """
    from rapport.scorecards import rollups

    now = now or clock.now()
    buckets: dict[Key, Bucket] = defaultdict(Bucket)
    live_since = rollups.read_days(buckets, since, until, parties)
    if live_since < until:
        live = collect_live(live_since, until, parties=parties, now=now, backlog=False)
        for key, bucket in live.items():
            buckets[key].add(bucket)
    if not rollups.read_backlog(buckets, until, parties):
        _live_backlog(buckets, until, parties)
    return dict(buckets)


def _scoped_tickets(parties: frozenset[int] | None) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    return tickets if parties is None else tickets.filter(provider_party_id__in=parties)


def _live_backlog(
    buckets: dict[Key, Bucket], until: datetime, parties: frozenset[int] | None
) -> None:
    key = ("provider_party_id", "agreement_id", "assignee_id")
    aged = until - timedelta(days=AGE_DAYS)
    for row in (
        _scoped_tickets(parties)
        .filter(created_at__lt=until, merged_into__isnull=True)
        .filter(Q(solved_at__isnull=True) | Q(solved_at__gte=until))
        .values(*key)
        .annotate(
            n=Count("id"), old=Count("id", filter=Q(created_at__lt=aged)), oldest=Min("created_at")
        )
        .order_by()
    ):
        b = buckets[_key(row)]
        b.counts["backlog"] += row["n"]
        b.counts["backlog_over_7_days"] += row["old"]
        if b.oldest is None or row["oldest"] < b.oldest:
            b.oldest = row["oldest"]


def collect_live(
    since: datetime,
    until: datetime,
    *,
    parties: frozenset[int] | None = None,
    now: datetime | None = None,
    backlog: bool = True,
) -> dict[Key, Bucket]:
    """The figures of [since, until) per (provider, agreement, agent), read from the
    tickets, clocks and surveys themselves: five queries, and one for the backlog."""
    now = now or clock.now()
    buckets: dict[Key, Bucket] = defaultdict(Bucket)
    tickets = Ticket.objects.all()
    clocks = TicketClock.objects.exclude(state=ClockState.CANCELLED)
    surveys = Survey.objects.all()
    if parties is not None:
        tickets = tickets.filter(provider_party_id__in=parties)
        clocks = clocks.filter(ticket__provider_party_id__in=parties)
        surveys = surveys.filter(provider_party_id__in=parties)
    key = ("provider_party_id", "agreement_id", "assignee_id")

    for row in (
        tickets.filter(created_at__gte=since, created_at__lt=until)
        .values(*key)
        .annotate(n=Count("id"))
        .order_by()
    ):
        buckets[_key(row)].counts["volume_in"] += row["n"]
    for row in (
        tickets.filter(solved_at__gte=since, solved_at__lt=until)
        .values(*key)
        .annotate(n=Count("id"), reopened=Count("id", filter=Q(reopen_count__gt=0)))
        .order_by()
    ):
        b = buckets[_key(row)]
        b.counts["solved"] += row["n"]
        b.counts["reopened"] += row["reopened"]
    if backlog:
        _live_backlog(buckets, until, parties)

    measured = clocks.filter(
        started_at__gte=since, started_at__lt=until,
        kind__in=[Clock.FIRST_RESPONSE, Clock.RESOLUTION],
    )  # fmt: skip
    clock_key = ("ticket__provider_party_id", "agreement_id", "ticket__assignee_id")
    for row in measured.values(*clock_key, "kind").annotate(**attainment_counts(now)).order_by():
        prefix = "fr" if row["kind"] == Clock.FIRST_RESPONSE else "res"
        b = buckets[_clock_key(row)]
        b.counts[f"{prefix}_achieved"] += row["achieved"]
        b.counts[f"{prefix}_breached"] += row["breached"]
        b.counts[f"{prefix}_pending"] += row["pending"]
    for provider, agreement, agent, kind, used in measured.filter(
        state=ClockState.FULFILLED
    ).values_list(*clock_key, "kind", "used_us"):
        b = buckets[(provider, agreement, agent)]
        (b.fr_minutes if kind == Clock.FIRST_RESPONSE else b.res_minutes).append(used / MINUTE_US)

    for row in (
        surveys.filter(created_at__gte=since, created_at__lt=until)
        .values("provider_party_id", "agreement_id", "agent_id")
        .annotate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            answered=Count("id", filter=Q(state=SurveyState.ANSWERED)),
            csat_n=Count("csat"),
            csat_sat=Count("id", filter=Q(csat__gte=4)),
            ces_n=Count("ces"),
            ces_sum=Sum("ces"),
            nps_n=Count("nps"),
            nps_pro=Count("id", filter=Q(nps__gte=9)),
            nps_det=Count("id", filter=Q(nps__lte=6)),
        )
        .order_by()
    ):
        b = buckets[(row["provider_party_id"], row["agreement_id"], row["agent_id"])]
        b.counts["surveys_sent"] += row["sent"]
        b.counts["surveys_answered"] += row["answered"]
        for name in ("csat_n", "csat_sat", "ces_n", "nps_n", "nps_pro", "nps_det"):
            b.counts[name] += row[name]
        b.counts["ces_sum"] += row["ces_sum"] or 0
    return dict(buckets)


def _key(row: dict[str, Any]) -> Key:
    return (row["provider_party_id"], row["agreement_id"], row["assignee_id"])


def _clock_key(row: dict[str, Any]) -> Key:
    return (row["ticket__provider_party_id"], row["agreement_id"], row["ticket__assignee_id"])


def roll_up(buckets: dict[Key, Bucket], dimension: str) -> dict[int, Bucket]:
    index = DIMENSIONS.index(dimension)
    out: dict[int, Bucket] = defaultdict(Bucket)
    for key, bucket in buckets.items():
        target = key[index]
        if target is not None:
            out[target].add(bucket)
    return dict(out)


def _trend(now_value: Any, before: Any) -> float | None:
    if now_value is None or before is None:
        return None
    return round(now_value - before, 2)


def scorecards(
    scope: Scope,
    period: Period,
    dimension: str = "provider",
    *,
    now: datetime | None = None,
    only: int | None = None,
) -> list[dict[str, Any]]:
    """One row per provider, agreement or agent with figures in the period, the
    previous period's, the trend and the watermelon flag; worst attainment first."""
    return scorecards_all(scope, period, (dimension,), now=now, only=only)[dimension]


def scorecards_all(
    scope: Scope,
    period: Period,
    dimensions: tuple[str, ...] = DIMENSIONS,
    *,
    now: datetime | None = None,
    only: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The scorecards of several dimensions from one read of the period and the
    previous one (twelve queries, plus one for the names of each dimension)."""
    parties = measured_parties(scope)
    now = now or clock.now()
    previous = period.previous()
    current = collect(period.since, period.until, parties=parties, now=now)
    before = collect(previous.since, previous.until, parties=parties, now=now)
    return {d: _rows(period, d, roll_up(current, d), roll_up(before, d), only) for d in dimensions}


def _rows(
    period: Period,
    dimension: str,
    current: dict[int, Bucket],
    before: dict[int, Bucket],
    only: int | None,
) -> list[dict[str, Any]]:
    previous = period.previous()
    ids = set(current) | set(before)
    if only is not None:
        ids &= {only}
    names = _names(dimension, ids)
    rows = []
    for ident in ids:
        m = metrics_of(current.get(ident, Bucket()), period.until)
        p = metrics_of(before.get(ident, Bucket()), previous.until)
        name, kind = names.get(ident, (str(ident), ""))
        rows.append({
            "id": ident, "name": name, "kind": kind, "metrics": m, "previous": p,
            "trend": {k: _trend(m[k], p[k]) for k in METRICS}, "watermelon": is_watermelon(m),
        })  # fmt: skip
    rows.sort(key=_worst_first)
    return rows


def _worst_first(row: dict[str, Any]) -> tuple[float, str]:
    m = row["metrics"]
    rates = [m[k] for k in ("resolution_attainment", "first_response_attainment")
             if m[k] is not None]  # fmt: skip
    return (min(rates) if rates else 101.0, row["name"])


def _names(dimension: str, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    if dimension == "provider":
        return {p.pk: (p.name, p.kind) for p in Party.objects.filter(pk__in=ids)}
    if dimension == "agreement":
        return {a.pk: (a.name, a.kind) for a in Agreement.objects.filter(pk__in=ids)}
    return {p.pk: (p.display_name, "agent") for p in Person.objects.filter(pk__in=ids)}


def series(
    scope: Scope, periods: list[Period], *, provider: int | None = None
) -> list[dict[str, Any]]:
    """Totals per period (for trend charts): attainment and satisfaction over time."""
    parties = measured_parties(scope)
    if provider is not None:
        parties = frozenset({provider}) if parties is None else parties & {provider}
    out = []
    for period in periods:
        total = Bucket()
        for bucket in collect(period.since, period.until, parties=parties).values():
            total.add(bucket)
        out.append({"period": period, **metrics_of(total, period.until)})
    return out
