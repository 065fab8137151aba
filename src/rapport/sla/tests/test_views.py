"""The SLA settings pages: previews, field errors, admins only to save."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from rapport.agreements.models import AgreementTarget, Calendar
from rapport.core import clock
from rapport.sla.models import Escalation
from rapport.testing import PASSWORD, World

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def signed_in(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def test_the_index_lists_calendars_and_agreements(world: World) -> None:
    page = signed_in(world, "manager").get("/settings/sla/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Berlin office" in text and "Globex support" in text
    assert "only an admin can change them" in text


def test_the_calendar_page_previews_due_times(world: World) -> None:
    with clock.travel_to(at(2026, 3, 13, 16, 30)):  # a Friday afternoon
        page = signed_in(world, "admin").get(f"/settings/sla/calendars/{world.calendar.pk}")
    text = page.content.decode()
    assert "Now it is <strong>open</strong>" in text
    assert "60 business minutes from now end at" in text
    assert "Mon 16 Mar 2026, 09:30 CET" in text
    assert "Mon 16 Mar 09:00–17:00 CET" in text


def test_calendar_form_errors_are_shown_and_nothing_changes(world: World) -> None:
    admin = signed_in(world, "admin")
    url = f"/settings/sla/calendars/{world.calendar.pk}"
    cases = [
        ({"weekly_hours": "Funday 09:00-17:00"}, "write e.g. “Mon-Fri 09:00-17:00”"),
        ({"time_zone": "Mars/Olympus"}, "is not a time zone"),
        ({"holiday_country": "XQ"}, "No public holidays are known for XQ"),
        ({"closed_dates": "24 December"}, "Line 1: write"),
        ({"weekly_hours": "", "always_open": ""}, "Give weekly hours"),
    ]
    base = {"name": "Berlin office", "time_zone": "Europe/Berlin",
            "weekly_hours": "Mon-Fri 09:00-17:00", "holiday_country": "DE",
            "holiday_subdivision": "BE", "closed_dates": ""}  # fmt: skip
    for change, message in cases:
        page = admin.post(url, {**base, **change})
        assert page.status_code == 200
        assert message in page.content.decode(), change
    calendar = Calendar.objects.get(pk=world.calendar.pk)
    assert calendar.time_zone == "Europe/Berlin" and len(calendar.weekly_hours) == 5


def test_an_admin_saves_a_calendar(world: World) -> None:
    admin = signed_in(world, "admin")
    response = admin.post("/settings/sla/calendars/new", {
        "name": "Night desk", "time_zone": "America/New_York",
        "weekly_hours": "Mon-Fri 22:00-06:00\nSat 10:00-14:00", "holiday_country": "US",
        "holiday_subdivision": "NY", "closed_dates": "2026-12-24..2026-12-26 Shutdown",
    })  # fmt: skip
    calendar = Calendar.objects.get(name="Night desk")
    assert response.status_code == 302
    assert response["Location"] == f"/settings/sla/calendars/{calendar.pk}"
    assert {"weekday": 0, "start": "22:00", "end": "06:00"} in calendar.weekly_hours
    assert len(calendar.weekly_hours) == 6
    assert calendar.closed_dates == [
        {"start": "2026-12-24", "end": "2026-12-26", "name": "Shutdown"}
    ]


def test_only_admins_save_staff_look_and_clients_are_kept_out(world: World) -> None:
    url = f"/settings/sla/calendars/{world.calendar.pk}"
    manager = signed_in(world, "manager")
    assert manager.get(url).status_code == 200
    assert manager.post(url, {"name": "Hijacked"}).status_code == 403
    assert signed_in(world, "contact").get(url).status_code == 403
    assert signed_in(world, "vendor_user").get("/settings/sla/").status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Calendar.objects.get(pk=world.calendar.pk).name == "Berlin office"


def test_the_agreement_page_previews_and_saves(world: World) -> None:
    admin = signed_in(world, "admin")
    url = f"/settings/sla/agreements/{world.sla.pk}"
    with clock.travel_to(at(2026, 3, 10, 10, 0)):  # Tuesday 10:00
        text = admin.get(url).content.decode()
    # Urgent: first response in 30 min, resolution in 4 h.
    assert "Tue 10 Mar, 10:30 CET" in text and "Tue 10 Mar, 14:00 CET" in text
    form = {
        "first_response_urgent": "15", "resolution_urgent": "120",
        "first_response_normal": "60", "next_response_normal": "60",
        "resolution_normal": "960", "pauses_resolution": ["pending_client", "on_hold"],
        "warning_percents": "60, 85",
        "escalations": "85 notify assignee team_lead\n100 resolution raise_priority urgent\n"
        "100 first_response reassign Customer Support",
    }  # fmt: skip
    response = admin.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.sla.refresh_from_db()
    assert world.sla.warning_percents == [60, 85]
    assert world.sla.pauses["resolution"] == ["on_hold", "pending_client"]
    assert world.sla.pauses["first_response"] == []
    urgent = AgreementTarget.objects.get(agreement=world.sla, priority=4)
    assert (urgent.first_response_minutes, urgent.resolution_minutes) == (15, 120)
    assert Escalation.objects.filter(agreement=world.sla).count() == 3
    text = admin.get(url).content.decode()
    assert "100 first_response reassign Customer Support" in text


def test_a_refused_escalation_keeps_the_old_targets(world: World) -> None:
    admin = signed_in(world, "admin")
    url = f"/settings/sla/agreements/{world.sla.pk}"
    form = {"first_response_urgent": "5", "warning_percents": "50",
            "escalations": "70 notify assignee"}  # fmt: skip
    page = admin.post(url, form)
    assert page.status_code == 200
    assert "at_percent is one of the warning thresholds" in page.content.decode()
    urgent = AgreementTarget.objects.get(agreement=world.sla, priority=4)
    assert urgent.first_response_minutes == 30
    refused = [
        ({"warning_percents": "fifty"}, "Write whole percents"),
        ({"escalations": "100 reassign Nobody"}, "there is no team"),
        ({"first_response_urgent": "-3"}, "greater than or equal to 1"),
    ]
    for bad, message in refused:
        page = admin.post(url, {"warning_percents": "50", **bad})
        assert message in page.content.decode(), bad
