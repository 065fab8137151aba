"""SLA settings pages: calendars and agreements, with previews of due times.

Staff may look; only admins may save (the actions check it too).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement, Calendar
from rapport.core import clock
from rapport.core.choices import Clock, Priority
from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.sla import actions
from rapport.sla.business_time import NeverOpen, compile_calendar
from rapport.sla.forms import AgreementSlaForm, CalendarForm


def _staff(request: HttpRequest) -> Person:
    person = cast(Person, request.user)
    if not scope_for(person).is_staff:
        raise PermissionDenied("SLA settings are for our staff.")
    return person


def _require_admin_to_save(request: HttpRequest, person: Person) -> None:
    if request.method == "POST" and not scope_for(person).is_admin:
        raise PermissionDenied("Only an admin can change SLA settings.")


def _report(form: Any, exc: RapportError) -> None:
    """A domain rule the form could not check: shown on its field, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    person = _staff(request)
    context = {
        "calendars": Calendar.objects.order_by("name"),
        "agreements": Agreement.objects.select_related("provider", "client", "calendar"),
        "is_admin": scope_for(person).is_admin,
    }
    return render(request, "sla/settings_index.html", context)


def calendar_preview(calendar: Calendar) -> dict[str, Any]:
    """The coming week's open hours, and when 1 h / 8 h of business time from now ends."""
    cal = compile_calendar(calendar)
    now = clock.now()
    try:
        week = cal.intervals(now, now + timedelta(days=7))
        dues = [(minutes, cal.add_minutes(now, minutes)) for minutes in (60, 480)]
    except NeverOpen:
        return {"never_open": True}
    return {"now": now, "open_now": cal.open_at(now), "week": week, "dues": dues,
            "time_zone": calendar.time_zone}  # fmt: skip


@login_required
def calendar_edit(request: HttpRequest, calendar_id: int | None = None) -> HttpResponse:
    person = _staff(request)
    _require_admin_to_save(request, person)
    calendar = None
    if calendar_id is not None:
        calendar = Calendar.objects.filter(pk=calendar_id).first()
        if calendar is None:
            raise Http404("No such calendar.")
    if request.method == "POST":
        form = CalendarForm(request.POST)
        if form.is_valid():
            try:
                if calendar is None:
                    calendar = agreement_actions.create_calendar(person, **form.cleaned_data)
                else:
                    agreement_actions.update_calendar(person, calendar, **form.cleaned_data)
            except RapportError as exc:
                _report(form, exc)
                if calendar is not None:
                    calendar.refresh_from_db()
            else:
                return redirect("sla-calendar", calendar_id=calendar.pk)
    else:
        form = CalendarForm(initial=CalendarForm.initial_for(calendar) if calendar else None)
    context = {
        "form": form, "calendar": calendar, "is_admin": scope_for(person).is_admin,
        "preview": calendar_preview(calendar) if calendar else None,
    }  # fmt: skip
    return render(request, "sla/calendar_form.html", context)


def agreement_preview(agreement: Agreement) -> list[dict[str, Any]]:
    """For each priority: a ticket opened now is due at … per clock."""
    cal = compile_calendar(agreement.calendar)
    now = clock.now()
    rows = []
    for target in sorted(agreement.targets.all(), key=lambda t: -t.priority):
        due = {}
        for kind in Clock:
            minutes = getattr(target, f"{kind.value}_minutes")
            try:
                due[kind.value] = cal.add_minutes(now, minutes) if minutes else None
            except NeverOpen:
                due[kind.value] = None
        rows.append({"priority": Priority(target.priority).label, "due": due})
    return rows


@login_required
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    person = _staff(request)
    _require_admin_to_save(request, person)
    agreement = (
        Agreement.objects.select_related("calendar", "provider", "client")
        .prefetch_related("targets")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    if request.method == "POST":
        form = AgreementSlaForm(request.POST)
        if form.is_valid():
            try:
                # One transaction: a refused escalation leaves the targets as they were.
                with transaction.atomic():
                    agreement_actions.update_agreement(
                        person, agreement, targets=form.targets(), pauses=form.pauses()
                    )
                    actions.set_sla_settings(
                        person, agreement,
                        warning_percents=form.cleaned_data["warning_percents"],
                        escalations=form.cleaned_data["escalations"],
                    )  # fmt: skip
            except RapportError as exc:
                _report(form, exc)
                agreement.refresh_from_db()
            else:
                return redirect("sla-agreement", agreement_id=agreement.pk)
    else:
        form = AgreementSlaForm(initial=AgreementSlaForm.initial_for(agreement))
    context = {
        "form": form, "agreement": agreement, "is_admin": scope_for(person).is_admin,
        "preview": agreement_preview(agreement), "now": clock.now(),
        "kinds": list(Clock),
    }  # fmt: skip
    return render(request, "sla/agreement_form.html", context)
