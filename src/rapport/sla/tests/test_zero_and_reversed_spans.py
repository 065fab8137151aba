"""Zero and reversed spans: nothing to add waits for the next opening; no business
time passes between a later start and an earlier end."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rapport.sla.business_time import (
    CalendarSpec,
    add_business_minutes,
    business_minutes_between,
    compile_calendar,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = CalendarSpec.build(
    time_zone="Europe/Berlin",
    weekly_hours=[{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)],
)


def test_adding_nothing_from_a_closed_instant_is_the_next_opening() -> None:
    saturday_night = datetime(2026, 3, 14, 23, 0, tzinfo=BERLIN)
    monday_nine = datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)
    assert add_business_minutes(OFFICE, saturday_night, 0) == monday_nine
    assert compile_calendar(OFFICE).add(0, 0) == compile_calendar(OFFICE).next_open(0)


def test_adding_nothing_while_open_is_the_same_instant() -> None:
    tuesday = datetime(2026, 3, 10, 11, 15, tzinfo=BERLIN)
    assert add_business_minutes(OFFICE, tuesday, 0) == tuesday


def test_a_reversed_span_has_no_business_time() -> None:
    later = datetime(2026, 3, 12, 15, 0, tzinfo=BERLIN)
    earlier = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)
    assert business_minutes_between(OFFICE, later, earlier) == 0
    assert business_minutes_between(OFFICE, earlier, later) == 420 + 480 + 360
