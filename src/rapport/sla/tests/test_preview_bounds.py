"""Previews answer quickly whatever they are asked: far-off instants and far-off due
times are refused with a 422 problem document instead of occupying a web worker."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests.test_bad_input import assert_problem

from rapport.agreements import actions as agreement_actions
from rapport.core import clock
from rapport.sla.business_time import compile_calendar
from rapport.testing import World

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("value", "detail"),
    [("0001-01-01T00:00:00Z", "between the years"), ("9999-12-31T23:59:59Z", "between the years"),
     ("2031-06-01T00:00:00Z", "within 5 years"), ("2020-01-01T00:00:00Z", "within 5 years")],
)  # fmt: skip
def test_instants_beyond_five_years_are_refused(world: World, value: str, detail: str) -> None:
    # Years 1 and 9999 are out of every API date's bounds (core.api_input) already.
    contact = world.client("contact")
    with clock.travel_to(NOW):
        assert_problem(
            contact.get(f"/api/v1/agreements/{world.sla.pk}/preview", {"at": value}), 422,
            field="at", detail=detail,
        )  # fmt: skip
        assert_problem(
            contact.get(f"/api/v1/calendars/{world.calendar.pk}/preview", {"start": value}),
            422, field="start", detail=detail,
        )  # fmt: skip
    # Nothing was compiled for those years.
    assert compile_calendar(world.calendar).last_year < 2045


def test_the_edges_of_the_window_still_answer(world: World) -> None:
    contact = world.client("contact")
    with clock.travel_to(NOW):
        response = contact.get(
            f"/api/v1/calendars/{world.calendar.pk}/preview",
            {"start": "2031-03-09T10:00:00+01:00", "minutes": 60},
        )
    assert response.status_code == 200, response.json()
    assert response.json()["due_at"] == "2031-03-10T09:00:00Z"  # Monday 10:00 Berlin


def test_a_due_time_past_the_reach_is_refused_not_computed(world: World) -> None:
    contact = world.client("contact")
    with clock.travel_to(NOW):
        # Ten million business minutes of office hours is about eighty years.
        response = contact.get(
            f"/api/v1/calendars/{world.calendar.pk}/preview", {"minutes": 10_000_000}
        )
    assert_problem(response, 422, field="minutes", detail="10 years")
    assert compile_calendar(world.calendar).last_year <= 2037


def test_a_calendar_open_once_in_decades_is_refused_quickly(world: World) -> None:
    rare = agreement_actions.create_calendar(
        None, name="Once in a while",
        weekly_hours=[{"weekday": 0, "start": "09:00", "end": "17:00"}],
        closed_dates=[{"start": "2000-01-01", "end": "2099-12-31"}],
    )  # fmt: skip
    with clock.travel_to(NOW):
        response = world.client("admin").get(f"/api/v1/calendars/{rare.pk}/preview")
    assert_problem(response, 422, field="calendar", detail="10 years")
    assert compile_calendar(rare).last_year <= 2037
