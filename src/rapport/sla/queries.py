"""Reads of the SLA engine: a ticket's clocks, badges for a page, attainment.

Attainment rule: over the clocks started in the period, attainment is
achieved / (achieved + breached). A clock is *breached* once it used more
business time than its target, whether it is still running, paused or was
fulfilled late; it is *achieved* when it was fulfilled within its target.
Clocks still running within their target are *pending* and not counted yet;
cancelled clocks (merged tickets, targets withdrawn) are never counted, nor are
response clocks stopped as *not applicable* (the ticket was solved or closed with
no public provider reply) unless they had breached before; those are counted as
not applicable, beside the rate. Times
to first response and to resolution are the business time their clocks used
(pauses excluded), over fulfilled clocks.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from rapport.core import clock as wallclock
from rapport.core.choices import Clock
from rapport.core.errors import PermissionDenied
from rapport.core.fast.prepared import Prepared
from rapport.directory.models import Team
from rapport.directory.queries import Scope
from rapport.sla.business_time import MINUTE_US, compile_calendar
from rapport.sla.clocks import used_us
from rapport.sla.models import LIVE_STATES, ClockState, TicketClock
from rapport.tickets.models import Side, Ticket
from rapport.tickets.permissions import side_of
from rapport.tickets.queries import can_see_internal


def may_see_clocks(scope: Scope, ticket: Ticket) -> bool:
    """The providing side measures itself; so does the team that handed work over."""
    return side_of(scope, ticket) == Side.PROVIDER or can_see_internal(scope, ticket)


def require_clock_reader(scope: Scope, ticket: Ticket) -> None:
    if not may_see_clocks(scope, ticket):
        raise PermissionDenied("Only the provider's side sees the service-level clocks.")


@dataclass(frozen=True)
class ClockView:
    """One clock as people read it, measured at `now`."""

    clock: TicketClock
    used_minutes: float
    remaining_minutes: float  # business minutes; negative when overdue
    percent: float
    breached: bool

    @property
    def kind(self) -> str:
        return self.clock.kind

    @property
    def label(self) -> str:
        return str(Clock(self.clock.kind).label)

    @property
    def state(self) -> str:
        return self.clock.state

    @property
    def due_at(self) -> datetime | None:
        return self.clock.due_at

    @property
    def level(self) -> str:
        """ok, or warning at the agreement's thresholds, or breached; for colours."""
        if self.breached:
            return "breached"
        warnings = sorted(self.clock.agreement.warning_percents or [])
        passed = [p for p in warnings if self.percent >= p]
        if not passed:
            return "ok"
        return "warning-high" if passed[-1] == warnings[-1] else "warning"


def view_clocks(clocks: Iterable[TicketClock], now: datetime | None = None) -> list[ClockView]:
    """Measure clocks (with `agreement__calendar` loaded) at `now`, without queries."""
    now = now or wallclock.now()
    out = []
    for c in clocks:
        cal = compile_calendar(c.agreement.calendar)
        used = used_us(c, cal, now)
        target = c.target_minutes * MINUTE_US
        breached = c.breached_at is not None or used > target
        out.append(
            ClockView(
                clock=c,
                used_minutes=used / MINUTE_US,
                remaining_minutes=(target - used) / MINUTE_US,
                percent=100 * used / target if target else 0,
                breached=breached,
            )
        )
    return out


def ticket_clocks(ticket: Ticket, now: datetime | None = None) -> list[ClockView]:
    return view_clocks(_clocks_of(None, ticket=ticket.pk), now)


@Prepared
def _clocks_of(_: None, *, ticket: int) -> QuerySet[TicketClock]:
    """On every ticket page: prepared once (`core.prepared`)."""
    return (
        TicketClock.objects.filter(ticket_id=ticket)
        .select_related("agreement__calendar")
        .order_by("started_at", "id")
    )


def badges(tickets: Sequence[Ticket], now: datetime | None = None) -> dict[int, ClockView]:
    """The most urgent live clock of each ticket on a page, in one query."""
    return badges_by_number([t.pk for t in tickets], now)


def badges_by_number(ids: Sequence[int], now: datetime | None = None) -> dict[int, ClockView]:
    """The most urgent live clock of each ticket number, in one query.

    Running clocks come before paused ones, and the soonest due first; a ticket
    without a live clock has no badge.
    """
    if not ids:
        return {}
    clocks = _live_clocks(None, tickets=tuple(ids))
    best: dict[int, ClockView] = {}
    for view in view_clocks(clocks, now):
        current = best.get(view.clock.ticket_id)
        if current is None or _urgency(view) < _urgency(current):
            best[view.clock.ticket_id] = view
    return best


@Prepared
def _live_clocks(_: None, *, tickets: tuple[int, ...]) -> QuerySet[TicketClock]:
    """On every queue page: prepared once per number of tickets (`core.prepared`)."""
    return (
        TicketClock.objects.filter(ticket_id__in=tickets, state__in=LIVE_STATES)
        .select_related("agreement__calendar")
        .order_by("ticket_id", "id")
    )


def _urgency(view: ClockView) -> tuple[int, float]:
    return (0 if view.state == ClockState.RUNNING else 1, view.remaining_minutes)


# --- attainment ----------------------------------------------------------------


@dataclass
class ClockAttainment:
    achieved: int = 0
    breached: int = 0
    pending: int = 0
    not_applicable: int = 0

    @property
    def rate(self) -> float | None:
        decided = self.achieved + self.breached
        return round(self.achieved / decided, 4) if decided else None


@dataclass
class Attainment:
    since: datetime
    until: datetime
    clocks: dict[str, ClockAttainment] = field(default_factory=dict)
    first_response_median_minutes: float | None = None
    first_response_p90_minutes: float | None = None
    resolution_median_minutes: float | None = None
    resolution_p90_minutes: float | None = None

    @property
    def total(self) -> ClockAttainment:
        out = ClockAttainment()
        for item in self.clocks.values():
            out.achieved += item.achieved
            out.breached += item.breached
            out.pending += item.pending
            out.not_applicable += item.not_applicable
        return out


def attainment_scope(scope: Scope) -> Q | None:
    """The tickets whose clocks a person may count: None means every ticket."""
    if scope.sees_everything:
        return None
    parties = scope.team_party_ids | scope.provider_org_party_ids
    if not scope.is_authenticated or not parties:
        raise PermissionDenied("Attainment is for the providing side's staff.")
    return Q(ticket__provider_party_id__in=parties)


def attainment(
    scope: Scope,
    *,
    since: datetime,
    until: datetime,
    agreement: int | None = None,
    provider: int | None = None,
    team: int | None = None,
    agent: int | None = None,
    now: datetime | None = None,
) -> Attainment:
    """Attainment of the clocks started in [since, until), filtered; see the module doc."""
    now = now or wallclock.now()
    qs: QuerySet[TicketClock] = TicketClock.objects.filter(
        started_at__gte=since, started_at__lt=until
    ).exclude(state=ClockState.CANCELLED)
    visible = attainment_scope(scope)
    if visible is not None:
        qs = qs.filter(visible)
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if provider is not None:
        qs = qs.filter(ticket__provider_party_id=provider)
    if team is not None:
        party = Team.objects.filter(pk=team).values_list("party_id", flat=True).first()
        qs = qs.filter(ticket__provider_party_id=party)
    if agent is not None:
        qs = qs.filter(ticket__assignee_id=agent)
    rows = qs.values("kind").annotate(**attainment_counts(now))
    result = Attainment(since=since, until=until)
    for kind in Clock.values:
        result.clocks[kind] = ClockAttainment()
    for row in rows:
        result.clocks[row["kind"]] = ClockAttainment(
            achieved=row["achieved"], breached=row["breached"], pending=row["pending"],
            not_applicable=row["not_applicable"],
        )  # fmt: skip
    durations: dict[str, list[float]] = {Clock.FIRST_RESPONSE: [], Clock.RESOLUTION: []}
    for kind, used in qs.filter(state=ClockState.FULFILLED, kind__in=list(durations)).values_list(
        "kind", "used_us"
    ):
        durations[kind].append(used / MINUTE_US)
    first, resolution = durations[Clock.FIRST_RESPONSE], durations[Clock.RESOLUTION]
    result.first_response_median_minutes = _median(first)
    result.first_response_p90_minutes = _p90(first)
    result.resolution_median_minutes = _median(resolution)
    result.resolution_p90_minutes = _p90(resolution)
    return result


def attainment_counts(now: datetime) -> dict[str, Count]:
    """The aggregates of the attainment rule, for any grouping (scorecards group by
    provider, agreement and agent): breached, achieved and pending clocks."""
    breached = Q(breached_at__isnull=False) | Q(state=ClockState.RUNNING, due_at__lt=now)
    return {
        "breached": Count("id", filter=breached),
        "achieved": Count("id", filter=Q(state=ClockState.FULFILLED) & ~breached),
        "pending": Count("id", filter=Q(state__in=LIVE_STATES) & ~breached),
        "not_applicable": Count("id", filter=Q(state=ClockState.NOT_APPLICABLE) & ~breached),
    }


def median_minutes(values: list[float]) -> float | None:
    return _median(values)


def p90_minutes(values: list[float]) -> float | None:
    return _p90(values)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _p90(values: list[float]) -> float | None:
    """The 90th percentile, interpolated between the nearest ranks."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=10, method="inclusive")[8], 2)


def attainment_dict(result: Attainment) -> dict[str, Any]:
    def one(item: ClockAttainment) -> dict[str, Any]:
        return {"achieved": item.achieved, "breached": item.breached,
                "pending": item.pending, "not_applicable": item.not_applicable,
                "attainment": item.rate}  # fmt: skip

    return {
        "since": result.since,
        "until": result.until,
        "total": one(result.total),
        "clocks": {kind: one(item) for kind, item in result.clocks.items()},
        "first_response_median_minutes": result.first_response_median_minutes,
        "first_response_p90_minutes": result.first_response_p90_minutes,
        "resolution_median_minutes": result.resolution_median_minutes,
        "resolution_p90_minutes": result.resolution_p90_minutes,
    }
