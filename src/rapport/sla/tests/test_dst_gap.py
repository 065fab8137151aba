"""A working slot that starts inside a spring-forward gap starts that much later.

Berlin's clocks jump from 02:00 to 03:00 on Sunday 29 March 2026: 02:30 does not
exist that night. Read as the major business-time libraries read it (the wall
time with the offset before the jump), it is 03:30; a slot the gap swallows
whole is no time at all.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rapport.sla.business_time import CalendarSpec, compile_calendar

BERLIN = ZoneInfo("Europe/Berlin")
SANTIAGO = ZoneInfo("America/Santiago")


def sunday(start: str, end: str, tz: str = "Europe/Berlin", weekday: int = 6) -> CalendarSpec:
    return CalendarSpec.build(
        time_zone=tz, weekly_hours=[{"weekday": weekday, "start": start, "end": end}]
    )


def test_a_slot_starting_in_the_gap_shifts_by_the_gap() -> None:
    compiled = compile_calendar(sunday("02:30", "05:00"))
    night = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    week = compiled.intervals(night, datetime(2026, 3, 30, tzinfo=BERLIN))
    assert week == [
        (datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN), datetime(2026, 3, 29, 5, tzinfo=BERLIN))
    ]
    # 60 business minutes from midnight run out at 04:30, not at 04:00.
    assert compiled.add_minutes(night, 60) == datetime(2026, 3, 29, 4, 30, tzinfo=BERLIN)
    # An ordinary Sunday still opens at 02:30.
    assert compiled.add_minutes(datetime(2026, 4, 5, tzinfo=BERLIN), 60) == datetime(
        2026, 4, 5, 3, 30, tzinfo=BERLIN
    )


def test_a_slot_the_gap_empties_disappears() -> None:
    compiled = compile_calendar(sunday("02:10", "02:50"))
    night = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    assert compiled.intervals(night, datetime(2026, 3, 30, tzinfo=BERLIN)) == []
    assert not compiled.open_at(datetime(2026, 3, 29, 3, 20, tzinfo=BERLIN))
    # The next opening is the following Sunday's 02:10.
    assert compiled.add_minutes(night, 10) == datetime(2026, 4, 5, 2, 20, tzinfo=BERLIN)


def test_a_slot_ending_in_the_gap_ends_at_the_jump() -> None:
    compiled = compile_calendar(sunday("01:00", "02:30"))
    night = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    assert compiled.minutes_between(night, datetime(2026, 3, 29, 12, tzinfo=BERLIN)) == 60


def test_a_day_that_begins_with_the_jump_keeps_an_overnight_slot_whole() -> None:
    # Chile moved its clocks forward at midnight on Sunday 6 September 2026
    # (00:00 -> 01:00): Saturday 22:00 to Sunday 06:00 is 7 real hours.
    compiled = compile_calendar(sunday("22:00", "06:00", tz="America/Santiago", weekday=5))
    start = datetime(2026, 9, 5, 21, 0, tzinfo=SANTIAGO)
    end = datetime(2026, 9, 6, 12, 0, tzinfo=SANTIAGO)
    assert compiled.minutes_between(start, end) == 7 * 60
