"""Service levels: a ticket's clocks, attainment, SLA settings of agreements, previews."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.agreements.api import _agreement, _calendar
from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.core.choices import Clock, Priority
from rapport.core.errors import Invalid, PermissionDenied
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.sla import actions
from rapport.sla.business_time import NeverOpen, OutOfReach, compile_calendar, from_us, to_us
from rapport.sla.models import Escalation
from rapport.sla.queries import (
    ClockView,
    attainment,
    attainment_dict,
    require_clock_reader,
    ticket_clocks,
)
from rapport.tickets.queries import get_ticket

router = Router(tags=["service levels"])

PriorityName = Literal["low", "normal", "high", "urgent"]
ClockName = Literal["first_response", "next_response", "resolution"]
MAX_MINUTES = 10_000_000
# Previews answer for instants within this many years of now, and compute due times
# up to this much further: a far-off date cost 9–30 s of a web worker before.
PREVIEW_YEARS = 5
PREVIEW_REACH_YEARS = 10


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class ClockOut(Schema):
    kind: str
    cycle: int
    state: str
    level: str = Field(description="ok, warning, warning-high or breached")
    target_minutes: int
    used_minutes: float
    remaining_minutes: float = Field(description="Business minutes left; negative: overdue")
    percent: float
    breached: bool
    started_at: datetime
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    warned_percent: int


def clock_out(view: ClockView) -> dict[str, Any]:
    c = view.clock
    return {
        "kind": c.kind, "cycle": c.cycle, "state": c.state, "level": view.level,
        "target_minutes": c.target_minutes, "used_minutes": round(view.used_minutes, 2),
        "remaining_minutes": round(view.remaining_minutes, 2),
        "percent": round(view.percent, 1), "breached": view.breached,
        "started_at": c.started_at, "due_at": c.due_at, "breached_at": c.breached_at,
        "stopped_at": c.stopped_at, "warned_percent": c.warned_percent,
    }  # fmt: skip


@router.get("/tickets/{number}/clocks", response=list[ClockOut], summary="A ticket's SLA clocks")
def list_clocks(request: HttpRequest, number: int) -> list[dict[str, Any]]:
    scope = scope_for(_me(request))
    ticket = get_ticket(scope, number)
    require_clock_reader(scope, ticket)
    return [clock_out(v) for v in ticket_clocks(ticket)]


# --- attainment ----------------------------------------------------------------


class Counts(Schema):
    achieved: int
    breached: int
    pending: int
    not_applicable: int = Field(
        description="Response clocks stopped by a solve or close with no provider reply: "
        "left out of attainment"
    )
    attainment: float | None = Field(description="achieved / (achieved + breached)")


class AttainmentOut(Schema):
    since: datetime
    until: datetime
    total: Counts
    clocks: dict[str, Counts]
    first_response_median_minutes: float | None
    first_response_p90_minutes: float | None
    resolution_median_minutes: float | None
    resolution_p90_minutes: float | None


class AttainmentParams(Schema):
    since: datetime | None = Field(default=None, description="Default: 30 days ago")
    until: datetime | None = Field(default=None, description="Default: now")
    agreement: int | None = Field(default=None, ge=1, le=MAX_ID)
    provider: int | None = Field(default=None, ge=1, le=MAX_ID, description="Provider party id")
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    agent: int | None = Field(default=None, ge=1, le=MAX_ID, description="Assignee person id")


@router.get("/attainment", response=AttainmentOut, summary="SLA attainment for a period")
def get_attainment(request: HttpRequest, params: Query[AttainmentParams]) -> dict[str, Any]:
    until = params.until or clock.now()
    since = params.since or until - timedelta(days=30)
    for value, name in ((since, "since"), (until, "until")):
        if value.tzinfo is None:
            raise Invalid("Give a time zone (e.g. 2026-03-01T00:00:00Z).", field=name)
    if since >= until:
        raise Invalid("The period ends before it starts.", field="until")
    result = attainment(
        scope_for(_me(request)), since=since, until=until, agreement=params.agreement,
        provider=params.provider, team=params.team, agent=params.agent,
    )  # fmt: skip
    return attainment_dict(result)


# --- SLA settings of an agreement ---------------------------------------------------


class EscalationIn(Schema):
    at_percent: int = Field(ge=1, le=100, description="A warning threshold, or 100: the breach")
    clock: ClockName | None = Field(default=None, description="Blank: every clock")
    action: Literal["notify", "raise_priority", "reassign"]
    recipients: list[Literal["assignee", "team_lead", "provider_manager"]] = Field(
        default_factory=list, max_length=3
    )
    priority: PriorityName | None = None
    team: int | None = Field(default=None, ge=1, le=MAX_ID, description="reassign: team id")


class TargetOut(Schema):
    priority: str
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None


class SlaSettingsOut(Schema):
    agreement: int
    time_zone: str
    warning_percents: list[int]
    escalations: list[EscalationIn]
    targets: list[TargetOut]
    pauses: dict[str, list[str]]


class SlaSettingsIn(Input):
    warning_percents: list[int] | None = Field(default=None, max_length=10)
    escalations: list[EscalationIn] | None = Field(default=None, max_length=20)


def _escalation_out(e: Escalation) -> dict[str, Any]:
    return {
        "at_percent": e.at_percent, "clock": e.clock or None, "action": e.action,
        "recipients": e.recipients or [],
        "priority": Priority(e.priority).label if e.priority else None, "team": e.team_id,
    }  # fmt: skip


def settings_out(a: Agreement) -> dict[str, Any]:
    return {
        "agreement": a.pk,
        "time_zone": a.calendar.time_zone,
        "warning_percents": a.warning_percents,
        "escalations": [_escalation_out(e) for e in Escalation.objects.filter(agreement=a)],
        "targets": [
            {"priority": Priority(t.priority).label,
             "first_response_minutes": t.first_response_minutes,
             "next_response_minutes": t.next_response_minutes,
             "resolution_minutes": t.resolution_minutes}
            for t in a.targets.all()
        ],
        "pauses": a.pauses,
    }  # fmt: skip


@router.get("/agreements/{agreement_id}/sla", response=SlaSettingsOut,
            summary="Targets, warning thresholds and escalations of an agreement")  # fmt: skip
def get_sla_settings(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    if not scope_for(_me(request)).is_staff:
        # Who gets told and what is raised when are our own working arrangements.
        raise PermissionDenied("Warning thresholds and escalations are for our staff.")
    return settings_out(agreement)


@router.put("/agreements/{agreement_id}/sla", response=SlaSettingsOut,
            summary="Set warning thresholds and escalations (admins)")  # fmt: skip
def put_sla_settings(
    request: HttpRequest, agreement_id: int, payload: SlaSettingsIn
) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    actions.set_sla_settings(
        _me(request), agreement, warning_percents=payload.warning_percents,
        escalations=[e.dict() for e in payload.escalations]
        if payload.escalations is not None else None,
    )  # fmt: skip
    return settings_out(_agreement(request, agreement_id))


# --- previews -----------------------------------------------------------------------


class AgreementPreviewOut(Schema):
    agreement: int
    priority: str
    opened_at: datetime
    time_zone: str
    due: dict[str, datetime | None] = Field(
        description="When each clock would be due for a ticket opened at opened_at "
        "(next_response: for a client message written then)"
    )


class AgreementPreviewParams(Schema):
    priority: PriorityName | None = None
    at: datetime | None = Field(default=None, description="Default: now")


def agreement_preview(
    agreement: Agreement, priority: int, at: datetime, until: datetime | None = None
) -> dict[str, Any]:
    target = next((t for t in agreement.targets.all() if t.priority == priority), None)
    cal = compile_calendar(agreement.calendar)
    due: dict[str, datetime | None] = {}
    for kind in Clock.values:
        minutes = getattr(target, f"{kind}_minutes", None) if target else None
        due[kind] = cal.add_minutes(at, minutes, until) if minutes else None
    return {
        "agreement": agreement.pk, "priority": Priority(priority).label, "opened_at": at,
        "time_zone": agreement.calendar.time_zone, "due": due,
    }  # fmt: skip


def _aware(value: datetime | None, name: str) -> datetime:
    """The preview's instant: aware, and within PREVIEW_YEARS of now."""
    now = clock.now()
    if value is None:
        return now
    if value.tzinfo is None:
        raise Invalid("Give a time zone (e.g. 2026-03-01T09:00:00+01:00).", field=name)
    reach = timedelta(days=365 * PREVIEW_YEARS + 2)
    if not now - reach <= value <= now + reach:
        raise Invalid(f"Preview a time within {PREVIEW_YEARS} years of now.", field=name)
    return value


def _reach(start: datetime) -> datetime:
    """How far a preview's answer may lie: the work is bounded with it."""
    return start + timedelta(days=365 * PREVIEW_REACH_YEARS + 3)


def _too_far(exc: NeverOpen, field: str) -> Invalid:
    if isinstance(exc, OutOfReach):
        return Invalid(
            f"The answer lies more than {PREVIEW_REACH_YEARS} years ahead; "
            "this preview stops there.", field=field,
        )  # fmt: skip
    return Invalid(str(exc), field="calendar")


@router.get("/agreements/{agreement_id}/preview", response=AgreementPreviewOut,
            summary="When a ticket opened now (or at a given time) would be due")  # fmt: skip
def preview_agreement(
    request: HttpRequest, agreement_id: int, params: Query[AgreementPreviewParams]
) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    priority = (
        Priority.from_name(params.priority) if params.priority else agreement.default_priority
    )
    at = _aware(params.at, "at")
    try:
        return agreement_preview(agreement, priority, at, _reach(at))
    except NeverOpen as exc:
        raise _too_far(exc, "calendar")


class CalendarPreviewOut(Schema):
    calendar: int
    time_zone: str
    start: datetime
    minutes: int
    due_at: datetime
    open_at_start: bool
    next_open: datetime


class CalendarPreviewParams(Schema):
    start: datetime | None = Field(default=None, description="Default: now")
    minutes: int = Field(default=60, ge=1, le=MAX_MINUTES, description="Business minutes")


@router.get("/calendars/{calendar_id}/preview", response=CalendarPreviewOut,
            summary="Add business minutes to an instant in a calendar")  # fmt: skip
def preview_calendar(
    request: HttpRequest, calendar_id: int, params: Query[CalendarPreviewParams]
) -> dict[str, Any]:
    calendar = _calendar(request, calendar_id)
    start = _aware(params.start, "start")
    cal = compile_calendar(calendar)
    until = _reach(start)
    try:
        next_open = from_us(cal.next_open(to_us(start), to_us(until)))
    except NeverOpen as exc:
        raise _too_far(exc, "calendar")
    try:
        due = cal.add_minutes(start, params.minutes, until)
    except NeverOpen as exc:
        raise _too_far(exc, "minutes")
    return {
        "calendar": calendar.pk, "time_zone": calendar.time_zone, "start": start,
        "minutes": params.minutes, "due_at": due, "open_at_start": cal.open_at(start),
        "next_open": next_open,
    }  # fmt: skip
