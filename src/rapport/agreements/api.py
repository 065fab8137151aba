"""Agreements (SLA, OLA, UC) with their targets, and business calendars."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.agreements import actions
from rapport.agreements.models import Agreement, Calendar
from rapport.agreements.queries import visible_agreements, visible_calendars
from rapport.core.choices import Priority
from rapport.core.errors import NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import LIMIT, MAX_ID, Input, PartyRef
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for

router = Router(tags=["agreements"])

PriorityName = Literal["low", "normal", "high", "urgent"]
CategoryName = Literal["pending_client", "on_hold"]


class Slot(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: str = Field(pattern=r"^\d\d:\d\d$")
    end: str = Field(pattern=r"^\d\d:\d\d$")


class ClosedRange(Schema):
    start: date
    end: date | None = None
    name: str = Field(default="", max_length=200)


class Hours(Schema):
    start: str = Field(pattern=r"^\d\d:\d\d$")
    end: str = Field(pattern=r"^\d\d:\d\d$", description="After start; 24:00 is midnight")


class DateOverride(Schema):
    date: date
    hours: list[Hours] = Field(
        default_factory=list, max_length=24, description="Replace the date's hours; none: closed"
    )
    name: str = Field(default="", max_length=200)


class Break(Schema):
    date: date
    start: str = Field(pattern=r"^\d\d:\d\d$")
    end: str = Field(pattern=r"^\d\d:\d\d$")
    name: str = Field(default="", max_length=200)


class CalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    always_open: bool
    weekly_hours: list[dict[str, Any]]
    holiday_country: str
    holiday_subdivision: str
    closed_dates: list[dict[str, Any]]
    date_overrides: list[dict[str, Any]]
    breaks: list[dict[str, Any]]
    created_at: datetime


class CalendarCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    time_zone: str = Field(default="UTC", max_length=64)
    always_open: bool = False
    weekly_hours: list[Slot] = Field(default_factory=list, max_length=100)
    holiday_country: str = Field(default="", max_length=8)
    holiday_subdivision: str = Field(default="", max_length=16)
    closed_dates: list[ClosedRange] = Field(default_factory=list, max_length=1000)
    date_overrides: list[DateOverride] = Field(default_factory=list, max_length=1000)
    breaks: list[Break] = Field(default_factory=list, max_length=1000)


class CalendarPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    time_zone: str | None = Field(default=None, max_length=64)
    always_open: bool | None = None
    weekly_hours: list[Slot] | None = Field(default=None, max_length=100)
    holiday_country: str | None = Field(default=None, max_length=8)
    holiday_subdivision: str | None = Field(default=None, max_length=16)
    closed_dates: list[ClosedRange] | None = Field(default=None, max_length=1000)
    date_overrides: list[DateOverride] | None = Field(default=None, max_length=1000)
    breaks: list[Break] | None = Field(default=None, max_length=1000)


class Target(Schema):
    priority: PriorityName
    first_response_minutes: int | None = Field(default=None, gt=0, le=10_000_000)
    next_response_minutes: int | None = Field(default=None, gt=0, le=10_000_000)
    resolution_minutes: int | None = Field(default=None, gt=0, le=10_000_000)


class Pauses(Schema):
    first_response: list[CategoryName] = Field(default_factory=list)
    next_response: list[CategoryName] = Field(default_factory=list)
    resolution: list[CategoryName] = Field(default_factory=list)


class AgreementOut(Schema):
    id: int
    name: str
    kind: str
    provider: PartyRef
    client: PartyRef
    calendar: int
    active_from: date
    active_until: date | None
    pauses: dict[str, list[str]]
    default_priority: str
    clients_choose_priority: bool
    targets: list[Target]
    created_at: datetime


class AgreementCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["sla", "ola", "uc"]
    provider: int = Field(description="Party id of the provider (a team, vendor or contractor)")
    client: int = Field(description="Party id of the client (a customer, a team, or our org)")
    calendar: int
    active_from: date
    active_until: date | None = None
    targets: list[Target] = Field(default_factory=list, max_length=4)
    pauses: Pauses | None = None
    default_priority: PriorityName = "normal"
    clients_choose_priority: bool = False


class AgreementPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    calendar: int | None = None
    active_from: date | None = None
    active_until: date | None = None
    targets: list[Target] | None = Field(default=None, max_length=4)
    pauses: Pauses | None = None
    default_priority: PriorityName | None = None
    clients_choose_priority: bool | None = None


class CalendarPage(Schema):
    items: list[CalendarOut]
    next_cursor: str | None


class AgreementPage(Schema):
    items: list[AgreementOut]
    next_cursor: str | None


class ListParams(Schema):
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = LIMIT


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def agreement_out(a: Agreement) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "kind": a.kind,
        "provider": {"id": a.provider_id, "name": a.provider.name, "kind": a.provider.kind},
        "client": {"id": a.client_id, "name": a.client.name, "kind": a.client.kind},
        "calendar": a.calendar_id,
        "active_from": a.active_from,
        "active_until": a.active_until,
        "pauses": a.pauses,
        "default_priority": Priority(a.default_priority).label,
        "clients_choose_priority": a.clients_choose_priority,
        "targets": [
            {
                "priority": Priority(t.priority).label,
                "first_response_minutes": t.first_response_minutes,
                "next_response_minutes": t.next_response_minutes,
                "resolution_minutes": t.resolution_minutes,
            }
            for t in a.targets.all()
        ],
        "created_at": a.created_at,
    }


# --- calendars ---------------------------------------------------------------


def _calendar(request: HttpRequest, calendar_id: int, *, field: str | None = None) -> Calendar:
    calendar = visible_calendars(scope_for(_me(request))).filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(f"There is no calendar {calendar_id} you can see.", field=field)
    return calendar


def _calendar_data(payload: CalendarCreate | CalendarPatch) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    for key in ("weekly_hours", "closed_dates", "date_overrides", "breaks"):
        if data.get(key) is None:
            data.pop(key, None)
    for key in ("name", "time_zone", "always_open", "holiday_country", "holiday_subdivision"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.get("/calendars", response=CalendarPage, summary="List business calendars")
def list_calendars(request: HttpRequest, params: Query[ListParams]) -> dict[str, object]:
    qs = visible_calendars(scope_for(_me(request)))
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": items, "next_cursor": cursor}


@router.post("/calendars", response={201: CalendarOut}, summary="Create a calendar")
def create_calendar(request: HttpRequest, payload: CalendarCreate) -> Status[Calendar]:
    return Status(201, actions.create_calendar(_me(request), **_calendar_data(payload)))


@router.get("/calendars/{calendar_id}", response=CalendarOut, summary="One calendar")
def get_calendar(request: HttpRequest, calendar_id: int) -> Calendar:
    return _calendar(request, calendar_id)


@router.patch("/calendars/{calendar_id}", response=CalendarOut, summary="Change a calendar")
def patch_calendar(request: HttpRequest, calendar_id: int, payload: CalendarPatch) -> Calendar:
    calendar = _calendar(request, calendar_id)
    return actions.update_calendar(_me(request), calendar, **_calendar_data(payload))


# --- agreements --------------------------------------------------------------


def _agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = visible_agreements(scope_for(_me(request))).filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(f"There is no agreement {agreement_id} you can see.")
    return agreement


def _party(party_id: int, field: str) -> Party:
    party = Party.objects.filter(pk=party_id).first()
    if party is None:
        raise NotFound(f"There is no party {party_id}.", field=field)
    return party


@router.get("/agreements", response=AgreementPage, summary="List agreements")
def list_agreements(
    request: HttpRequest,
    params: Query[ListParams],
    kind: Literal["sla", "ola", "uc"] | None = None,
    provider: int | None = Query(None, ge=1, le=MAX_ID, description="Provider party id"),
    client: int | None = Query(None, ge=1, le=MAX_ID, description="Client party id"),
) -> dict[str, object]:
    qs = visible_agreements(scope_for(_me(request)))
    if kind:
        qs = qs.filter(kind=kind)
    if provider:
        qs = qs.filter(provider_id=provider)
    if client:
        qs = qs.filter(client_id=client)
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": [agreement_out(a) for a in items], "next_cursor": cursor}


@router.post("/agreements", response={201: AgreementOut}, summary="Create an agreement")
def create_agreement(request: HttpRequest, payload: AgreementCreate) -> Status[dict[str, Any]]:
    me = _me(request)
    actions.require_admin(me)  # before looking anything up: non-admins learn nothing
    agreement = actions.create_agreement(
        me,
        name=payload.name,
        kind=payload.kind,
        provider=_party(payload.provider, "provider"),
        client=_party(payload.client, "client"),
        calendar=_calendar(request, payload.calendar, field="calendar"),
        active_from=payload.active_from,
        active_until=payload.active_until,
        targets=[t.dict() for t in payload.targets],
        pauses=payload.pauses.dict() if payload.pauses else None,
        default_priority=payload.default_priority,
        clients_choose_priority=payload.clients_choose_priority,
    )
    return Status(201, agreement_out(_agreement(request, agreement.pk)))


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def get_agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    return agreement_out(_agreement(request, agreement_id))


@router.patch("/agreements/{agreement_id}", response=AgreementOut, summary="Change an agreement")
def patch_agreement(
    request: HttpRequest, agreement_id: int, payload: AgreementPatch
) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    changes = payload.dict(exclude_unset=True)
    if "calendar" in changes:
        if changes["calendar"] is None:
            changes.pop("calendar")
        else:
            changes["calendar"] = _calendar(request, changes["calendar"], field="calendar")
    if changes.get("targets") is None:
        changes.pop("targets", None)
    if changes.get("pauses") is None:
        changes.pop("pauses", None)
    for key in ("name", "active_from", "default_priority", "clients_choose_priority"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    actions.update_agreement(_me(request), agreement, **changes)
    return agreement_out(_agreement(request, agreement_id))
