"""The only writers of agreements and calendars."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from rapport.agreements.models import Agreement, AgreementKind, AgreementTarget, Calendar
from rapport.core import clock
from rapport.core.choices import Clock, Priority, StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Party, PartyKind, Person
from rapport.directory.queries import scope_for

_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def require_admin(actor: Person | None) -> None:
    if actor is not None and not scope_for(actor).is_admin:
        raise PermissionDenied("Only an admin can change agreements and calendars.")


def _clean_weekly_hours(slots: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for i, slot in enumerate(slots):
        weekday, start, end = slot.get("weekday"), slot.get("start"), slot.get("end")
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise Invalid(f"Slot {i}: weekday must be 0 (Monday) to 6.", field="weekly_hours")
        for value in (start, end):
            if not isinstance(value, str) or not _HHMM.match(value) or value > "24:00":
                raise Invalid(f"Slot {i}: times are HH:MM, 00:00–24:00.", field="weekly_hours")
        if start == end:
            raise Invalid(f"Slot {i}: start and end are the same.", field="weekly_hours")
        cleaned.append({"weekday": weekday, "start": start, "end": end})
    return sorted(cleaned, key=lambda s: (s["weekday"], s["start"]))


def _clean_closed_dates(ranges: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for i, item in enumerate(ranges):
        try:
            start = date.fromisoformat(str(item["start"]))
            end = date.fromisoformat(str(item.get("end") or item["start"]))
        except (KeyError, ValueError):
            raise Invalid(f"Closed date {i}: start and end are YYYY-MM-DD.", field="closed_dates")
        if end < start:
            raise Invalid(f"Closed date {i}: end is before start.", field="closed_dates")
        name = str(item.get("name", ""))[:200]
        cleaned.append({"start": start.isoformat(), "end": end.isoformat(), "name": name})
    return sorted(cleaned, key=lambda r: r["start"])


def _clean_time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"Unknown time zone {value!r}.", field="time_zone")
    return value


def _clean_country(country: str, subdivision: str) -> tuple[str, str]:
    country, subdivision = country.strip().upper(), subdivision.strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise Invalid("Holiday country is an ISO 3166 two-letter code.", field="holiday_country")
    if subdivision and not country:
        raise Invalid("A subdivision needs a country.", field="holiday_subdivision")
    if country:
        import holidays  # loading every country's rules is slow: only when needed

        supported = holidays.list_supported_countries()
        if country not in supported:
            raise Invalid(f"No public holidays are known for {country}.", field="holiday_country")
        if subdivision and subdivision not in supported[country]:
            known = supported[country]
            listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
            raise Invalid(
                f"{country} has no subdivision {subdivision} (known: {listed}).",
                field="holiday_subdivision",
            )
    return country, subdivision


@transaction.atomic
def create_calendar(
    actor: Person | None,
    *,
    name: str,
    time_zone: str = "UTC",
    always_open: bool = False,
    weekly_hours: Iterable[Mapping[str, Any]] = (),
    holiday_country: str = "",
    holiday_subdivision: str = "",
    closed_dates: Iterable[Mapping[str, Any]] = (),
) -> Calendar:
    require_admin(actor)
    name = name.strip()
    if not name:
        raise Invalid("A calendar needs a name.", field="name")
    if Calendar.objects.filter(name__iexact=name).exists():
        raise Conflict(f"A calendar called {name!r} exists already.", field="name")
    hours = _clean_weekly_hours(weekly_hours)
    if not always_open and not hours:
        raise Invalid("Give weekly hours, or mark the calendar always open.", field="weekly_hours")
    country, subdivision = _clean_country(holiday_country, holiday_subdivision)
    return Calendar.objects.create(
        name=name,
        time_zone=_clean_time_zone(time_zone),
        always_open=always_open,
        weekly_hours=hours,
        holiday_country=country,
        holiday_subdivision=subdivision,
        closed_dates=_clean_closed_dates(closed_dates),
        created_at=clock.now(),
    )


@transaction.atomic
def update_calendar(actor: Person | None, calendar: Calendar, **changes: Any) -> Calendar:
    require_admin(actor)
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not name:
            raise Invalid("A calendar needs a name.", field="name")
        if Calendar.objects.filter(name__iexact=name).exclude(pk=calendar.pk).exists():
            raise Conflict(f"A calendar called {name!r} exists already.", field="name")
        calendar.name = name
    if "time_zone" in changes:
        calendar.time_zone = _clean_time_zone(changes["time_zone"])
    if "always_open" in changes:
        calendar.always_open = bool(changes["always_open"])
    if "weekly_hours" in changes:
        calendar.weekly_hours = _clean_weekly_hours(changes["weekly_hours"])
    if "closed_dates" in changes:
        calendar.closed_dates = _clean_closed_dates(changes["closed_dates"])
    if "holiday_country" in changes or "holiday_subdivision" in changes:
        calendar.holiday_country, calendar.holiday_subdivision = _clean_country(
            changes.get("holiday_country", calendar.holiday_country),
            changes.get("holiday_subdivision", calendar.holiday_subdivision),
        )
    if not calendar.always_open and not calendar.weekly_hours:
        raise Invalid("Give weekly hours, or mark the calendar always open.", field="weekly_hours")
    calendar.save()
    _follow_on_clocks(Agreement.objects.filter(calendar=calendar).values_list("pk", flat=True))
    return calendar


# Called with an agreement's id whenever its terms (targets, pauses, calendar) change.
# The SLA engine builds on agreements, so it subscribes (`SlaConfig.ready`) rather than
# being called from here by name.
_terms_changed: dict[str, Callable[[int], None]] = {}


def on_terms_changed(name: str, follow: Callable[[int], None]) -> None:
    """Subscribe `follow(agreement_id)` (replacing any earlier one of the same name)."""
    _terms_changed[name] = follow


def _follow_on_clocks(agreement_ids: Iterable[int]) -> None:
    """Running clocks are due by the old terms: tell whoever keeps them."""
    for agreement_id in agreement_ids:
        for follow in _terms_changed.values():
            follow(agreement_id)


def _clean_pauses(pauses: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for clock_name, categories in pauses.items():
        if clock_name not in Clock.values:
            raise Invalid(f"Unknown clock {clock_name!r}.", field="pauses")
        cats = list(categories)
        for category in cats:
            if category not in (StatusCategory.PENDING_CLIENT, StatusCategory.ON_HOLD):
                raise Invalid(
                    f"Only pending_client and on_hold can pause a clock, not {category!r}.",
                    field="pauses",
                )
        cleaned[clock_name] = sorted(set(cats))
    return cleaned


def _check_parties(kind: str, provider: Party, client: Party) -> None:
    if kind not in AgreementKind.values:
        raise Invalid(f"Unknown kind {kind!r}.", field="kind")
    if not provider.can_provide:
        raise Invalid("The provider must be a team, a vendor or a contractor.", field="provider")
    if client.kind not in (PartyKind.CUSTOMER, PartyKind.TEAM, PartyKind.OWN):
        raise Invalid(
            "The client must be a customer, a team, or our whole organisation.", field="client"
        )
    if provider.pk == client.pk:
        raise Invalid("A party cannot serve itself.", field="client")


def _set_targets(agreement: Agreement, targets: Iterable[Mapping[str, Any]]) -> None:
    rows = {}
    for item in targets:
        try:
            priority = Priority.from_name(str(item["priority"]))
        except (KeyError, ValueError):
            raise Invalid(
                f"Priority is one of {', '.join(Priority.label_names())}.", field="targets"
            )
        values = {}
        for key in ("first_response_minutes", "next_response_minutes", "resolution_minutes"):
            value = item.get(key)
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise Invalid(f"{key} is a positive number of minutes.", field="targets")
            values[key] = value
        rows[priority] = AgreementTarget(agreement=agreement, priority=priority, **values)
    AgreementTarget.objects.filter(agreement=agreement).delete()
    AgreementTarget.objects.bulk_create(rows.values())


@transaction.atomic
def create_agreement(
    actor: Person | None,
    *,
    name: str,
    kind: str,
    provider: Party,
    client: Party,
    calendar: Calendar,
    active_from: date,
    active_until: date | None = None,
    targets: Iterable[Mapping[str, Any]] = (),
    pauses: Mapping[str, Iterable[str]] | None = None,
    default_priority: str = "normal",
    clients_choose_priority: bool = False,
) -> Agreement:
    require_admin(actor)
    name = name.strip()
    if not name:
        raise Invalid("An agreement needs a name.", field="name")
    _check_parties(kind, provider, client)
    if active_until is not None and active_until < active_from:
        raise Invalid("The agreement ends before it starts.", field="active_until")
    try:
        priority = Priority.from_name(default_priority)
    except ValueError:
        raise Invalid(
            f"Priority is one of {', '.join(Priority.label_names())}.", field="default_priority"
        )
    agreement = Agreement.objects.create(
        name=name,
        kind=kind,
        provider=provider,
        client=client,
        calendar=calendar,
        active_from=active_from,
        active_until=active_until,
        pauses=_clean_pauses(pauses)
        if pauses is not None
        else Agreement._meta.get_field("pauses").get_default(),
        default_priority=priority,
        clients_choose_priority=clients_choose_priority,
        created_at=clock.now(),
    )
    _set_targets(agreement, targets)
    return agreement


@transaction.atomic
def update_agreement(actor: Person | None, agreement: Agreement, **changes: Any) -> Agreement:
    require_admin(actor)
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not name:
            raise Invalid("An agreement needs a name.", field="name")
        agreement.name = name
    for key in ("calendar", "active_from", "active_until", "clients_choose_priority"):
        if key in changes:
            setattr(agreement, key, changes[key])
    if agreement.active_until is not None and agreement.active_until < agreement.active_from:
        raise Invalid("The agreement ends before it starts.", field="active_until")
    if "default_priority" in changes:
        try:
            agreement.default_priority = Priority.from_name(changes["default_priority"])
        except ValueError:
            raise Invalid(
                f"Priority is one of {', '.join(Priority.label_names())}.", field="default_priority"
            )
    if "pauses" in changes:
        agreement.pauses = _clean_pauses(changes["pauses"])
    agreement.save()
    if "targets" in changes:
        _set_targets(agreement, changes["targets"])
    if {"targets", "pauses", "calendar"} & changes.keys():
        _follow_on_clocks([agreement.pk])
    return agreement
