"""Business time to the minute: DST, holidays, overnight slots, year boundaries, 24×7."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.sla.business_time import CalendarSpec, NeverOpen, compile_calendar

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]


def cal(**kwargs: object) -> CalendarSpec:
    kwargs.setdefault("weekly_hours", WEEKDAYS)
    return CalendarSpec.build(**kwargs)  # type: ignore[arg-type]


BERLIN_OFFICE = cal(time_zone="Europe/Berlin", holiday_country="DE", holiday_subdivision="BE")
NEW_YORK_OFFICE = cal(time_zone="America/New_York", holiday_country="US", holiday_subdivision="NY")
NIGHT_SHIFT = cal(
    time_zone="Europe/Berlin",
    weekly_hours=[{"weekday": d, "start": "22:00", "end": "06:00"} for d in range(7)],
)
EARLY_SUNDAY = cal(
    time_zone="Europe/Berlin", weekly_hours=[{"weekday": 6, "start": "01:00", "end": "05:00"}]
)
ALWAYS = cal(time_zone="Europe/Berlin", always_open=True, weekly_hours=[])
ALWAYS_WITH_CLOSURE = cal(
    time_zone="UTC", always_open=True, weekly_hours=[],
    closed_dates=[{"start": "2026-12-24", "end": "2026-12-26", "name": "Christmas shutdown"}],
)  # fmt: skip
PARIS_STORE = cal(
    time_zone="Europe/Paris",
    closed_dates=[{"start": "2026-08-03", "end": "2026-08-14", "name": "Summer closure"}],
)


def at(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


# (name, calendar, start, minutes, expected due)
ADD_CASES = [
    ("within a day", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 9, 0), 30,
     at(BERLIN, 2026, 3, 10, 9, 30)),
    ("runs to closing time exactly", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 16, 0), 60,
     at(BERLIN, 2026, 3, 10, 17, 0)),
    ("over the weekend", BERLIN_OFFICE, at(BERLIN, 2026, 3, 13, 16, 30), 60,
     at(BERLIN, 2026, 3, 16, 9, 30)),
    ("opened at night starts at nine", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 23, 0), 30,
     at(BERLIN, 2026, 3, 11, 9, 30)),
    # Clocks go forward on Sunday 29 March 2026: office hours are local, so Friday
    # 16:00 + 2 h is Monday 10:00 CEST, 08:00 UTC (it was 15:00 UTC on Friday).
    ("Berlin spring forward", BERLIN_OFFICE, at(BERLIN, 2026, 3, 27, 16, 0), 120,
     at(BERLIN, 2026, 3, 30, 10, 0)),
    ("Berlin fall back", BERLIN_OFFICE, at(BERLIN, 2026, 10, 23, 16, 0), 120,
     at(BERLIN, 2026, 10, 26, 10, 0)),
    ("a slot across the gap lasts 3 h", EARLY_SUNDAY, at(BERLIN, 2026, 3, 29, 0, 0), 180,
     at(BERLIN, 2026, 3, 29, 5, 0)),
    ("a slot across the repeat lasts 5 h", EARLY_SUNDAY, at(BERLIN, 2026, 10, 25, 0, 0), 300,
     at(BERLIN, 2026, 10, 25, 5, 0)),
    ("New York spring forward", NEW_YORK_OFFICE, at(NEW_YORK, 2026, 3, 6, 16, 30), 60,
     at(NEW_YORK, 2026, 3, 9, 9, 30)),
    ("New York fall back", NEW_YORK_OFFICE, at(NEW_YORK, 2026, 10, 30, 16, 30), 60,
     at(NEW_YORK, 2026, 11, 2, 9, 30)),
    # Good Friday 3 April and Easter Monday 6 April 2026 are holidays in Berlin.
    ("Easter", BERLIN_OFFICE, at(BERLIN, 2026, 4, 2, 16, 0), 120, at(BERLIN, 2026, 4, 7, 10, 0)),
    # Women's Day (8 March) is a holiday in Berlin only, not in Bavaria.
    ("Berlin's own holiday", BERLIN_OFFICE, at(BERLIN, 2027, 3, 5, 16, 0), 120,
     at(BERLIN, 2027, 3, 9, 10, 0)),
    ("Bavaria works on 8 March", cal(time_zone="Europe/Berlin", holiday_country="DE",
                                    holiday_subdivision="BY"),
     at(BERLIN, 2027, 3, 5, 16, 0), 120, at(BERLIN, 2027, 3, 8, 10, 0)),
    ("Thanksgiving", NEW_YORK_OFFICE, at(NEW_YORK, 2026, 11, 25, 16, 0), 120,
     at(NEW_YORK, 2026, 11, 27, 10, 0)),
    ("year boundary with New Year's Day", BERLIN_OFFICE, at(BERLIN, 2026, 12, 31, 16, 0), 120,
     at(BERLIN, 2027, 1, 4, 10, 0)),
    ("custom closed fortnight", PARIS_STORE, at(ZoneInfo("Europe/Paris"), 2026, 7, 31, 16, 0),
     120, at(ZoneInfo("Europe/Paris"), 2026, 8, 17, 10, 0)),
    ("overnight slot", NIGHT_SHIFT, at(BERLIN, 2026, 3, 10, 12, 0), 60,
     at(BERLIN, 2026, 3, 10, 23, 0)),
    ("overnight slot past midnight", NIGHT_SHIFT, at(BERLIN, 2026, 3, 10, 23, 0), 240,
     at(BERLIN, 2026, 3, 11, 3, 0)),
    ("overnight slot across New Year", NIGHT_SHIFT, at(BERLIN, 2026, 12, 31, 23, 0), 120,
     at(BERLIN, 2027, 1, 1, 1, 0)),
    ("24×7 across the DST change counts real time", ALWAYS, at(BERLIN, 2026, 3, 29, 0, 0), 240,
     at(BERLIN, 2026, 3, 29, 5, 0)),
    ("24×7 with a closure", ALWAYS_WITH_CLOSURE, at(ZoneInfo("UTC"), 2026, 12, 23, 23, 0), 120,
     at(ZoneInfo("UTC"), 2026, 12, 27, 1, 0)),
    ("a year of business time", BERLIN_OFFICE, at(BERLIN, 2026, 1, 5, 9, 0), 480 * 250,
     None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "minutes", "due"),
    [case[1:] for case in ADD_CASES],
    ids=[case[0] for case in ADD_CASES],
)
def test_add_business_minutes(
    calendar: CalendarSpec, start: datetime, minutes: int, due: datetime | None
) -> None:
    compiled = compile_calendar(calendar)
    result = compiled.add_minutes(start, minutes)
    if due is not None:
        assert result == due, result.astimezone(due.tzinfo)
    assert compiled.minutes_between(start, result) == minutes


# (name, calendar, start, end, business minutes)
BETWEEN_CASES = [
    ("a working week", BERLIN_OFFICE, at(BERLIN, 2026, 3, 9, 0, 0), at(BERLIN, 2026, 3, 16, 0, 0),
     5 * 480),
    ("the Easter week has two holidays", BERLIN_OFFICE, at(BERLIN, 2026, 3, 30, 0, 0),
     at(BERLIN, 2026, 4, 6, 0, 0), 4 * 480),
    ("the DST week is still 40 hours", BERLIN_OFFICE, at(BERLIN, 2026, 3, 23, 0, 0),
     at(BERLIN, 2026, 3, 30, 23, 0), 6 * 480),
    ("a night of the short day", NIGHT_SHIFT, at(BERLIN, 2026, 3, 28, 12, 0),
     at(BERLIN, 2026, 3, 29, 12, 0), 7 * 60),
    ("a night of the long day", NIGHT_SHIFT, at(BERLIN, 2026, 10, 24, 12, 0),
     at(BERLIN, 2026, 10, 25, 12, 0), 9 * 60),
    ("24×7 on the short day", ALWAYS, at(BERLIN, 2026, 3, 29, 0, 0), at(BERLIN, 2026, 3, 30, 0, 0),
     23 * 60),
    ("a closed period counts nothing", PARIS_STORE, at(ZoneInfo("Europe/Paris"), 2026, 8, 3),
     at(ZoneInfo("Europe/Paris"), 2026, 8, 15), 0),
    ("backwards is no time", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 10, 0),
     at(BERLIN, 2026, 3, 10, 9, 0), 0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "end", "minutes"),
    [case[1:] for case in BETWEEN_CASES],
    ids=[case[0] for case in BETWEEN_CASES],
)
def test_business_minutes_between(
    calendar: CalendarSpec, start: datetime, end: datetime, minutes: int
) -> None:
    assert compile_calendar(calendar).minutes_between(start, end) == minutes


OPEN_CASES = [
    ("opening minute", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 9, 0), True),
    ("closing minute is closed", BERLIN_OFFICE, at(BERLIN, 2026, 3, 10, 17, 0), False),
    ("Saturday", BERLIN_OFFICE, at(BERLIN, 2026, 3, 14, 12, 0), False),
    ("Christmas Day", BERLIN_OFFICE, at(BERLIN, 2026, 12, 25, 12, 0), False),
    ("after midnight of a night shift", NIGHT_SHIFT, at(BERLIN, 2026, 3, 11, 5, 59), True),
    ("night shift daytime", NIGHT_SHIFT, at(BERLIN, 2026, 3, 11, 6, 0), False),
    ("24×7", ALWAYS, at(BERLIN, 2026, 12, 25, 3, 0), True),
    ("24×7 closure", ALWAYS_WITH_CLOSURE, at(ZoneInfo("UTC"), 2026, 12, 25, 12, 0), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "moment", "expected"),
    [case[1:] for case in OPEN_CASES],
    ids=[case[0] for case in OPEN_CASES],
)
def test_is_open(calendar: CalendarSpec, moment: datetime, expected: bool) -> None:
    assert compile_calendar(calendar).open_at(moment) is expected


def test_a_holiday_closes_the_after_midnight_part_of_an_overnight_slot() -> None:
    spec = cal(
        time_zone="Europe/Berlin",
        weekly_hours=[{"weekday": d, "start": "22:00", "end": "06:00"} for d in range(7)],
        holiday_country="DE",
    )
    compiled = compile_calendar(spec)
    assert compiled.open_at(at(BERLIN, 2026, 12, 31, 23, 0))
    assert not compiled.open_at(at(BERLIN, 2027, 1, 1, 2, 0))  # New Year's Day
    # Half an hour before midnight, none on the holiday (its evening slot too), then
    # the after-midnight part of that slot, which belongs to 2 January.
    assert compiled.add_minutes(at(BERLIN, 2026, 12, 31, 23, 30), 60) == at(
        BERLIN, 2027, 1, 2, 0, 30
    )


def test_questions_about_earlier_years_after_later_ones() -> None:
    compiled = compile_calendar(cal(time_zone="Asia/Tokyo"))
    tokyo = ZoneInfo("Asia/Tokyo")
    assert compiled.add_minutes(at(tokyo, 2030, 6, 3, 9, 0), 60) == at(tokyo, 2030, 6, 3, 10, 0)
    assert compiled.add_minutes(at(tokyo, 2021, 6, 3, 9, 0), 60) == at(tokyo, 2021, 6, 3, 10, 0)
    assert compiled.minutes_between(at(tokyo, 2021, 6, 3, 9), at(tokyo, 2030, 6, 3, 9)) > 0


def test_a_calendar_that_never_opens_refuses() -> None:
    spec = cal(time_zone="UTC", closed_dates=[{"start": "2000-01-01", "end": "2999-12-31"}])
    with pytest.raises(NeverOpen):
        compile_calendar(spec).add_minutes(at(ZoneInfo("UTC"), 2026, 1, 1), 1)


def test_next_open_and_previews() -> None:
    compiled = compile_calendar(BERLIN_OFFICE)
    saturday = at(BERLIN, 2026, 3, 14, 12, 0)
    week = compiled.intervals(saturday, saturday + timedelta(days=7))
    assert week[0] == (at(BERLIN, 2026, 3, 16, 9), at(BERLIN, 2026, 3, 16, 17))
    assert len(week) == 5
