"""Breaks (time taken out of one date's hours) and date overrides (a date's own hours)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client
from tests.test_bad_input import assert_problem

from rapport.agreements.models import Calendar
from rapport.core import clock
from rapport.sla.business_time import CalendarSpec, compile_calendar
from rapport.testing import PASSWORD, World

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def office(**kwargs: object) -> CalendarSpec:
    return CalendarSpec.build(time_zone="Europe/Berlin", weekly_hours=WEEKDAYS, **kwargs)  # type: ignore[arg-type]


def test_a_break_takes_time_out_of_one_date() -> None:
    compiled = compile_calendar(
        office(
            breaks=[{"date": "2026-03-10", "start": "12:00", "end": "13:30", "name": "All-hands"}]
        )
    )
    assert not compiled.open_at(at(2026, 3, 10, 12, 45))
    assert compiled.open_at(at(2026, 3, 11, 12, 45))  # only that date
    assert compiled.minutes_between(at(2026, 3, 10, 0), at(2026, 3, 11, 0)) == 480 - 90
    # 3 h from 11:00: one hour before the break, two after it.
    assert compiled.add_minutes(at(2026, 3, 10, 11, 0), 180) == at(2026, 3, 10, 15, 30)


def test_an_afternoon_off_is_a_break_to_closing() -> None:
    compiled = compile_calendar(
        office(breaks=[{"date": "2026-03-13", "start": "12:00", "end": "24:00"}])
    )
    assert compiled.add_minutes(at(2026, 3, 13, 11, 0), 120) == at(2026, 3, 16, 10, 0)


def test_a_date_override_replaces_the_weeks_hours() -> None:
    compiled = compile_calendar(
        office(
            holiday_country="DE",
            holiday_subdivision="BE",
            date_overrides=[
                {"date": "2026-12-24", "hours": [{"start": "09:00", "end": "12:00"}]},
                {"date": "2026-03-14", "hours": [{"start": "10:00", "end": "14:00"}]},
                # Good Friday worked after all, in the morning.
                {"date": "2026-04-03", "hours": [{"start": "08:00", "end": "10:00"}]},
                {"date": "2026-03-12", "hours": []},  # a Thursday closed
            ],
        )
    )
    # Christmas Eve (a Thursday) closes at noon.
    assert compiled.add_minutes(at(2026, 12, 24, 11, 0), 120) == at(2026, 12, 28, 10, 0)
    # A Saturday opening.
    assert compiled.open_at(at(2026, 3, 14, 13, 0))
    assert compiled.add_minutes(at(2026, 3, 13, 16, 0), 120) == at(2026, 3, 14, 11, 0)
    assert compiled.open_at(at(2026, 4, 3, 9, 0)) and not compiled.open_at(at(2026, 4, 3, 11, 0))
    assert compiled.minutes_between(at(2026, 3, 12, 0), at(2026, 3, 13, 0)) == 0


def test_breaks_apply_to_an_overridden_date() -> None:
    compiled = compile_calendar(
        office(
            date_overrides=[{"date": "2026-03-14", "hours": [{"start": "10:00", "end": "14:00"}]}],
            breaks=[{"date": "2026-03-14", "start": "11:00", "end": "12:00"}],
        )
    )
    assert compiled.minutes_between(at(2026, 3, 14, 0), at(2026, 3, 15, 0)) == 180


def signed_in(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def test_the_api_edits_overrides_and_breaks_and_the_preview_follows(world: World) -> None:
    admin = world.client("admin")
    url = f"/api/v1/calendars/{world.calendar.pk}"
    body = admin.patch(url, {
        "date_overrides": [{"date": "2026-03-14", "hours": [{"start": "10:00", "end": "14:00"}],
                            "name": "Saturday opening"}],
        "breaks": [{"date": "2026-03-16", "start": "09:00", "end": "10:00",
                    "name": "Team meeting"}],
    }, content_type="application/json").json()  # fmt: skip
    assert body["date_overrides"] == [{"date": "2026-03-14", "name": "Saturday opening",
                                       "hours": [{"start": "10:00", "end": "14:00"}]}]  # fmt: skip
    assert body["breaks"][0]["start"] == "09:00"
    preview = admin.get(
        f"{url}/preview", {"start": "2026-03-13T16:30:00+01:00", "minutes": 60}
    ).json()
    assert preview["due_at"] == "2026-03-14T09:30:00Z"  # Saturday 10:30 Berlin
    preview = admin.get(
        f"{url}/preview", {"start": "2026-03-15T12:00:00+01:00", "minutes": 30}
    ).json()
    assert preview["due_at"] == "2026-03-16T09:30:00Z"  # Monday 10:30, after the meeting


def test_the_api_refuses_a_backwards_break_and_keeps_the_calendar(world: World) -> None:
    admin = world.client("admin")
    url = f"/api/v1/calendars/{world.calendar.pk}"
    backwards = [{"date": "2026-03-16", "start": "10:00", "end": "09:00"}]
    response = admin.patch(url, {"breaks": backwards}, content_type="application/json")
    assert_problem(response, 422, field="breaks")
    response = admin.patch(url, {"date_overrides": [
        {"date": "2026-03-14", "hours": []}, {"date": "2026-03-14", "hours": []}]},
        content_type="application/json")  # fmt: skip
    assert_problem(response, 422, field="date_overrides")
    assert Calendar.objects.get(pk=world.calendar.pk).breaks == []


def test_the_calendar_form_edits_overrides_and_breaks(world: World) -> None:
    admin = signed_in(world, "admin")
    response = admin.post("/settings/sla/calendars/new", {
        "name": "Shop", "time_zone": "Europe/Berlin", "weekly_hours": "Mon-Fri 09:00-17:00",
        "date_overrides": "2026-12-24 09:00-12:00 Christmas Eve\n"
                          "2026-06-06 10:00-14:00, 15:00-18:00 Saturday opening\n"
                          "2026-06-08 closed Inventory",
        "breaks": "2026-03-10 12:00-13:30 Team meeting",
    })  # fmt: skip
    assert response.status_code == 302
    calendar = Calendar.objects.get(name="Shop")
    assert calendar.date_overrides[0] == {
        "date": "2026-06-06", "name": "Saturday opening",
        "hours": [{"start": "10:00", "end": "14:00"}, {"start": "15:00", "end": "18:00"}],
    }  # fmt: skip
    assert calendar.date_overrides[1]["hours"] == []
    assert calendar.breaks == [
        {"date": "2026-03-10", "start": "12:00", "end": "13:30", "name": "Team meeting"}
    ]
    page = admin.get(f"/settings/sla/calendars/{calendar.pk}").content.decode()
    assert "2026-06-06 10:00-14:00, 15:00-18:00 Saturday opening" in page
    with clock.travel_to(at(2026, 3, 10, 12, 0)):
        page = admin.post(f"/settings/sla/calendars/{calendar.pk}", {
            "name": "Shop", "time_zone": "Europe/Berlin", "weekly_hours": "Mon-Fri 09:00-17:00",
            "breaks": "2026-03-10 lunch",
        })  # fmt: skip
    assert page.status_code == 200
    assert "Line 1: write" in page.content.decode()
    assert len(Calendar.objects.get(name="Shop").breaks) == 1
