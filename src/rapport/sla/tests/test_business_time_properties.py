"""Properties of business time that must hold for any calendar and any instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.sla.business_time import CalendarSpec, compile_calendar, to_us

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]


@st.composite
def calendars(draw: st.DrawFn) -> CalendarSpec:
    always_open = draw(st.booleans()) and draw(st.booleans())
    slots = []
    for weekday in range(7):
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(0, 23 * 4)) * 15
            end = draw(st.integers(0, 24 * 4).filter(lambda e, s=start: e * 15 != s)) * 15
            slots.append(
                {"weekday": weekday, "start": f"{start // 60:02}:{start % 60:02}",
                 "end": f"{end // 60:02}:{end % 60:02}"}
            )  # fmt: skip
    if not slots:
        slots = [{"weekday": 0, "start": "09:00", "end": "17:00"}]
    closed = []
    if draw(st.booleans()):
        first = draw(st.dates(datetime(2025, 1, 1).date(), datetime(2027, 12, 31).date()))
        closed.append({"start": first, "end": first + timedelta(days=draw(st.integers(0, 20)))})
    days = st.dates(datetime(2025, 1, 1).date(), datetime(2027, 12, 31).date())
    overrides = []
    for day in draw(st.lists(days, max_size=6, unique=True)):
        hours = []
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(0, 95)) * 15
            end = draw(st.integers(start // 15 + 1, 96)) * 15
            hours.append({"start": _hhmm(start), "end": _hhmm(end)})
        overrides.append({"date": day, "hours": hours})
    breaks = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 95)) * 15
        end = draw(st.integers(start // 15 + 1, 96)) * 15
        breaks.append({"date": draw(days), "start": _hhmm(start), "end": _hhmm(end)})
    return CalendarSpec.build(
        time_zone=draw(st.sampled_from(ZONES)),
        always_open=always_open,
        weekly_hours=slots,
        holiday_country=draw(st.sampled_from(["", "DE", "US", "FR"])),
        closed_dates=closed,
        date_overrides=overrides,
        breaks=breaks,
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02}:{minutes % 60:02}"


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
minutes = st.integers(min_value=1, max_value=60 * 24 * 90)


@settings(max_examples=120, deadline=None)
@given(calendars(), instants, minutes)
def test_adding_then_measuring_round_trips(spec: CalendarSpec, start: datetime, n: int) -> None:
    compiled = compile_calendar(spec)
    due = compiled.add_minutes(start, n)
    assert due > start
    assert compiled.minutes_between(start, due) == n


@settings(max_examples=120, deadline=None)
@given(calendars(), instants, minutes)
def test_due_never_falls_inside_closed_hours(spec: CalendarSpec, start: datetime, n: int) -> None:
    compiled = compile_calendar(spec)
    due = compiled.add_minutes(start, n)
    # The last business minute before the due time is open: the target runs out
    # during open time (or exactly at closing), never somewhere in closed time.
    assert compiled.open_at(due - timedelta(microseconds=1))
    # And no earlier instant already had n business minutes.
    assert compiled.minutes_between(start, due - timedelta(seconds=1)) < n


@settings(max_examples=120, deadline=None)
@given(calendars(), instants, minutes, st.integers(0, 60 * 24 * 10), st.integers(1, 60 * 24 * 10))
def test_pausing_never_makes_a_due_time_earlier(
    spec: CalendarSpec, start: datetime, n: int, run_before: int, pause: int
) -> None:
    """Run for a while, pause for a while, resume with what is left: never sooner."""
    compiled = compile_calendar(spec)
    unpaused = compiled.add_minutes(start, n)
    paused_at = start + timedelta(minutes=run_before)
    used = compiled.minutes_between(start, paused_at)
    if used >= n:
        return  # breached before the pause: nothing to resume
    resumed_at = paused_at + timedelta(minutes=pause)
    due = compiled.add_minutes(resumed_at, n - used)
    assert due >= unpaused


@settings(max_examples=100, deadline=None)
@given(calendars(), instants, instants, instants)
def test_measuring_is_additive(spec: CalendarSpec, a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    compiled = compile_calendar(spec)
    x, y, z = to_us(a), to_us(b), to_us(c)
    assert compiled.between(x, z) == compiled.between(x, y) + compiled.between(y, z)


@settings(max_examples=100, deadline=None)
@given(calendars(), instants)
def test_breaks_are_closed_and_overrides_are_their_hours(
    spec: CalendarSpec, moment: datetime
) -> None:
    """Wherever a break or an override speaks for an instant, the calendar agrees."""
    compiled = compile_calendar(spec)
    local = moment.astimezone(compiled.tz)
    # Skip wall times that are ambiguous or missing (DST): the rule is about the day.
    if (
        local.replace(tzinfo=None, fold=1).replace(tzinfo=compiled.tz).utcoffset()
        != local.utcoffset()
    ):
        return
    minute = local.hour * 60 + local.minute
    day = local.date()
    if any(d == day and a <= minute < b for d, a, b in spec.breaks):
        assert not compiled.open_at(moment)
        return
    hours = dict(spec.overrides).get(day)
    if hours is not None:
        assert compiled.open_at(moment) == any(a <= minute < b for a, b in hours)
