"""Business-time arithmetic over a calendar: add business minutes, measure them, is-open.

A calendar is compiled once into a sorted list of its open intervals as UTC
instants (integer microseconds since the epoch), one local year at a time, with
the running total of open time before each interval. Every question is then a
binary search: adding N minutes finds the interval where the running total
reaches the start's total plus N, measuring is a difference of two totals. No
loop walks minutes, days or weeks, so a target of a year costs what a target of
an hour costs.

Rules, all in the calendar's time zone:

* weekly slots are wall-clock times; a slot whose end is not after its start runs
  past midnight into the next day ("22:00"–"06:00");
* open time is real elapsed time: a slot 01:00–05:00 on the night clocks go
  forward lasts three hours, on the night they go back five;
* a holiday or closed date closes its whole local day, 00:00–24:00, including the
  after-midnight part of an overnight slot begun the evening before;
* a date override replaces that date's hours (00:00–24:00, the same reach as a
  closed date) with its own, whatever the weekly hours, holidays and closed dates
  say: a Saturday opening, Christmas Eve 9–12, a holiday worked after all;
* a break removes a range from one date's hours (a team meeting, a half day);
* a 24×7 calendar ignores weekly hours (every day is open all day); holidays,
  closed dates, overrides and breaks still apply if the calendar names them;
* a slot starting inside a spring-forward gap starts that much later (02:30 on the
  night 02:00 jumps to 03:00 is 03:30), as dateutil, pendulum and the business-time
  libraries built on them read it; a slot ending inside the gap ends at the jump,
  so a slot the gap swallows whole is no time at all. Midnight inside a gap (a day
  that begins with the jump) is the jump, so an overnight slot stays unbroken.
"""

from __future__ import annotations

import bisect
import json
import threading
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
MINUTE_US = 60_000_000
DAY_MINUTES = 24 * 60
# Compiling further than this from the first year asked for means the calendar is
# (nearly) never open; the arithmetic refuses rather than spin.
MAX_YEARS = 200


class NeverOpen(ValueError):
    """The calendar has no open time in reach of the question."""


class OutOfReach(NeverOpen):
    """The answer lies past the horizon the caller allowed (a preview's bounded work)."""


def to_us(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (exact)."""
    if moment.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    return (moment - EPOCH) // US


def from_us(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


@dataclass(frozen=True)
class CalendarSpec:
    """What business time depends on; hashable, so compiled calendars can be cached."""

    time_zone: str
    always_open: bool
    # Per weekday (Monday=0), sorted, merged (start, end) minutes within that day.
    day_slots: tuple[tuple[tuple[int, int], ...], ...]
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closed_ranges: tuple[tuple[date, date], ...] = ()
    # Dates whose hours replace the weekly hours: (date, sorted merged (start, end)).
    overrides: tuple[tuple[date, tuple[tuple[int, int], ...]], ...] = ()
    # Ranges removed from one date's hours: (date, start, end) in minutes.
    breaks: tuple[tuple[date, int, int], ...] = ()

    @classmethod
    def build(
        cls,
        *,
        time_zone: str = "UTC",
        always_open: bool = False,
        weekly_hours: Iterable[Mapping[str, Any]] = (),
        holiday_country: str = "",
        holiday_subdivision: str = "",
        closed_dates: Iterable[Mapping[str, Any]] = (),
        date_overrides: Iterable[Mapping[str, Any]] = (),
        breaks: Iterable[Mapping[str, Any]] = (),
    ) -> CalendarSpec:
        days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        if always_open:
            days = [[(0, DAY_MINUTES)] for _ in range(7)]
        else:
            for slot in weekly_hours:
                weekday = int(slot["weekday"])
                start, end = _minutes(slot["start"]), _minutes(slot["end"])
                if end > start:
                    days[weekday].append((start, end))
                else:  # runs past midnight: split it at midnight
                    if start < DAY_MINUTES:
                        days[weekday].append((start, DAY_MINUTES))
                    if end > 0:
                        days[(weekday + 1) % 7].append((0, end))
        ranges = []
        for item in closed_dates:
            start_day = date.fromisoformat(str(item["start"]))
            end_day = date.fromisoformat(str(item.get("end") or item["start"]))
            ranges.append((start_day, end_day))
        overrides: dict[date, list[tuple[int, int]]] = {}
        for item in date_overrides:
            hours = overrides.setdefault(date.fromisoformat(str(item["date"])), [])
            for slot in item.get("hours") or ():
                start, end = _minutes(slot["start"]), _minutes(slot["end"])
                if end > start:  # within its own date: validated on the way in
                    hours.append((start, end))
        cuts = []
        for item in breaks:
            start, end = _minutes(item["start"]), _minutes(item["end"])
            if end > start:
                cuts.append((date.fromisoformat(str(item["date"])), start, end))
        return cls(
            time_zone=time_zone,
            always_open=always_open,
            day_slots=tuple(_merge(d) for d in days),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closed_ranges=tuple(sorted(ranges)),
            overrides=tuple(sorted((day, _merge(h)) for day, h in overrides.items())),
            breaks=tuple(sorted(cuts)),
        )

    @classmethod
    def of(cls, calendar: Any) -> CalendarSpec:
        """The spec of an `agreements.Calendar` row."""
        return cls.build(
            time_zone=calendar.time_zone,
            always_open=calendar.always_open,
            weekly_hours=calendar.weekly_hours,
            holiday_country=calendar.holiday_country,
            holiday_subdivision=calendar.holiday_subdivision,
            closed_dates=calendar.closed_dates,
            date_overrides=getattr(calendar, "date_overrides", None) or (),
            breaks=getattr(calendar, "breaks", None) or (),
        )

    def key(self) -> str:
        return json.dumps(
            [self.time_zone, self.always_open, self.day_slots, self.holiday_country,
             self.holiday_subdivision, [(a.isoformat(), b.isoformat()) for a, b in
                                        self.closed_ranges],
             [(d.isoformat(), h) for d, h in self.overrides],
             [(d.isoformat(), a, b) for d, a, b in self.breaks]]
        )  # fmt: skip


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _merge(slots: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(slots):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _subtract(
    slots: Iterable[tuple[int, int]], cuts: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Slots with the cut ranges removed (all in minutes of one day)."""
    out = list(slots)
    for cut_start, cut_end in cuts:
        kept: list[tuple[int, int]] = []
        for start, end in out:
            if cut_end <= start or end <= cut_start:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        out = kept
    return out


def local_to_us(day: date, minute: int, tz: zoneinfo.ZoneInfo, *, shift_gap: bool = False) -> int:
    """The instant a local wall-clock time happens.

    An ambiguous time (clocks going back) is its first occurrence. A time that
    does not exist (clocks going forward) is the moment the clocks jump, or with
    `shift_gap` that wall time read with the offset before the jump (02:30 in a
    02:00→03:00 gap is 03:30): how a slot's start is read.
    """
    wall = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    early = to_us(wall.replace(tzinfo=tz, fold=0))
    late = to_us(wall.replace(tzinfo=tz, fold=1))
    if early <= late:  # ordinary (equal) or ambiguous (fold=0 is the first occurrence)
        return early
    if shift_gap:
        return early
    # In a gap: fold=1 reads the wall time with the offset after the jump (an
    # instant before it), fold=0 with the offset before (an instant after it).
    # The jump lies between; find it to the second.
    lo, hi = late, early
    offset_before = from_us(lo).astimezone(tz).utcoffset()
    while hi - lo > 1_000_000:
        mid = (lo + hi) // 2
        if from_us(mid).astimezone(tz).utcoffset() == offset_before:
            lo = mid
        else:
            hi = mid
    return hi - hi % 1_000_000


def _closed_days(spec: CalendarSpec, year: int) -> set[date]:
    closed: set[date] = set()
    if spec.holiday_country:
        import holidays  # imported here: loading every country's rules is slow

        kwargs: dict[str, Any] = {"years": [year]}
        if spec.holiday_subdivision:
            kwargs["subdiv"] = spec.holiday_subdivision
        closed.update(holidays.country_holidays(spec.holiday_country, **kwargs).keys())
    first, last = date(year, 1, 1), date(year, 12, 31)
    for start, end in spec.closed_ranges:
        if end < first or start > last:
            continue
        day, stop = max(start, first), min(end, last)
        while day <= stop:
            closed.add(day)
            day += timedelta(days=1)
    return closed


def open_intervals_of_year(spec: CalendarSpec, year: int) -> list[tuple[int, int]]:
    """Open intervals of one local calendar year, as sorted, merged UTC instants."""
    tz = zoneinfo.ZoneInfo(spec.time_zone)
    closed = _closed_days(spec, year)
    overrides = {d: hours for d, hours in spec.overrides if d.year == year}
    cuts: dict[date, list[tuple[int, int]]] = {}
    for d, cut_start, cut_end in spec.breaks:
        if d.year == year:
            cuts.setdefault(d, []).append((cut_start, cut_end))
    out: list[tuple[int, int]] = []
    day = date(year, 1, 1)
    one = timedelta(days=1)
    while day.year == year:
        slots: Iterable[tuple[int, int]]
        if day in overrides:
            slots = overrides[day]
        elif day in closed:
            slots = ()
        else:
            slots = spec.day_slots[day.weekday()]
        if day in cuts:
            slots = _subtract(slots, cuts[day])
        for start, end in slots:
            # Midnight in a gap is the jump (the day begins then); any other start
            # in a gap shifts by the gap's length.
            a = local_to_us(day, start, tz, shift_gap=start > 0)
            b = local_to_us(day, end, tz)
            if b <= a:
                continue
            if out and a <= out[-1][1]:  # touches the previous one (e.g. at midnight)
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        day += one
    return out


class CompiledCalendar:
    """Open intervals of a calendar over a growing range of whole local years."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.tz = zoneinfo.ZoneInfo(spec.time_zone)
        self.first_year = 0
        self.last_year = -1
        self.starts: list[int] = []
        self.ends: list[int] = []
        # cum[i]: open microseconds from the range start up to starts[i];
        # cum_end[i]: the same up to ends[i].
        self.cum: list[int] = []
        self.cum_end: list[int] = []
        self.range_start = 0
        self.range_end = 0
        # Worker threads share compiled calendars: growth and reads take turns.
        self._lock = threading.RLock()

    # --- coverage ------------------------------------------------------------

    def _year_start(self, year: int) -> int:
        return local_to_us(date(year, 1, 1), 0, self.tz)

    def _local_year(self, instant: int) -> int:
        return from_us(instant).astimezone(self.tz).year

    def _append_year(self, year: int) -> None:
        total = self.cum_end[-1] if self.cum_end else 0
        for a, b in open_intervals_of_year(self.spec, year):
            if self.ends and a <= self.ends[-1]:  # an overnight run across New Year
                total += b - self.ends[-1]
                self.ends[-1] = b
                self.cum_end[-1] = total
                continue
            self.starts.append(a)
            self.ends.append(b)
            self.cum.append(total)
            total += b - a
            self.cum_end.append(total)
        self.last_year = year
        self.range_end = self._year_start(year + 1)

    def _rebuild(self, first: int, last: int) -> None:
        self.starts, self.ends, self.cum, self.cum_end = [], [], [], []
        self.first_year = first
        self.range_start = self._year_start(first)
        for year in range(first, last + 1):
            self._append_year(year)

    def cover(self, instant: int) -> None:
        """Make sure the compiled range includes `instant`."""
        if self.range_start <= instant < self.range_end:
            return
        with self._lock:
            year = self._local_year(instant)
            if self.last_year < self.first_year:
                self._rebuild(year, year)
            elif year < self.first_year:
                self._rebuild(year, self.last_year)
            else:
                for y in range(self.last_year + 1, year + 1):
                    self._append_year(y)

    def _extend(self, until: int | None = None) -> None:
        if self.last_year - self.first_year > MAX_YEARS:
            raise NeverOpen("The calendar has no open time within reach.")
        if until is not None and self.range_end > until:
            raise OutOfReach(f"The answer lies after {from_us(until):%Y-%m-%d}.")
        self._append_year(self.last_year + 1)

    # --- questions -----------------------------------------------------------

    def total_before(self, instant: int) -> int:
        """Open microseconds from the range start up to `instant` (covered)."""
        i = bisect.bisect_right(self.starts, instant) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(instant, self.ends[i]) - self.starts[i]

    def is_open(self, instant: int) -> bool:
        with self._lock:
            return self._is_open(instant)

    def _is_open(self, instant: int) -> bool:
        self.cover(instant)
        i = bisect.bisect_right(self.starts, instant) - 1
        return i >= 0 and instant < self.ends[i]

    def between(self, start: int, end: int) -> int:
        """Open microseconds in [start, end); zero when end is not after start (no
        business time passes between a later start and an earlier end)."""
        if end <= start:
            return 0
        with self._lock:
            self.cover(start)
            self.cover(end)
            return self.total_before(end) - self.total_before(start)

    def add(self, start: int, amount: int, until: int | None = None) -> int:
        """The instant at which `amount` open microseconds have passed since `start`.

        It never falls inside closed time: if the amount runs out exactly at a
        closing time, that closing time is the answer. Zero or less: the next open
        instant (`start` itself if open then), so a target of nothing is due when
        the provider could first act, never in closed time. With `until`, an answer
        later than that raises OutOfReach rather than compile the years to it.
        """
        if amount <= 0:
            return self.next_open(start, until)
        with self._lock:
            self.cover(start)
            target = self.total_before(start) + amount
            while not self.cum_end or self.cum_end[-1] < target:
                self._extend(until)
            i = bisect.bisect_left(self.cum_end, target)
            return self.starts[i] + (target - self.cum[i])

    def next_open(self, instant: int, until: int | None = None) -> int:
        """`instant` if open then, else the next opening (see `add` for `until`)."""
        with self._lock:
            self.cover(instant)
            while True:
                i = bisect.bisect_right(self.starts, instant) - 1
                if i >= 0 and instant < self.ends[i]:
                    return instant
                if i + 1 < len(self.starts):
                    return self.starts[i + 1]
                self._extend(until)

    # --- datetime conveniences -----------------------------------------------

    def add_minutes(
        self, start: datetime, minutes: float, until: datetime | None = None
    ) -> datetime:
        limit = None if until is None else to_us(until)
        return from_us(self.add(to_us(start), round(minutes * MINUTE_US), limit))

    def minutes_between(self, start: datetime, end: datetime) -> float:
        return self.between(to_us(start), to_us(end)) / MINUTE_US

    def open_at(self, moment: datetime) -> bool:
        return self.is_open(to_us(moment))

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Open intervals overlapping [start, end), clipped to it (for previews)."""
        a, b = to_us(start), to_us(end)
        with self._lock:
            self.cover(a)
            self.cover(b)
            i = max(0, bisect.bisect_right(self.starts, a) - 1)
            out = []
            while i < len(self.starts) and self.starts[i] < b:
                lo, hi = max(a, self.starts[i]), min(b, self.ends[i])
                if lo < hi:
                    out.append((from_us(lo), from_us(hi)))
                i += 1
            return out


@lru_cache(maxsize=256)
def _compiled(key: str, spec: CalendarSpec) -> CompiledCalendar:
    return CompiledCalendar(spec)


def compile_calendar(calendar: Any) -> CompiledCalendar:
    """The compiled form of an `agreements.Calendar` (or a CalendarSpec), cached.

    The cache key is the calendar's content, so an edited calendar compiles
    afresh in every process without any invalidation message.
    """
    spec = calendar if isinstance(calendar, CalendarSpec) else CalendarSpec.of(calendar)
    return _compiled(spec.key(), spec)


def add_business_minutes(calendar: Any, start: datetime, minutes: float) -> datetime:
    return compile_calendar(calendar).add_minutes(start, minutes)


def business_minutes_between(calendar: Any, start: datetime, end: datetime) -> float:
    return compile_calendar(calendar).minutes_between(start, end)


def is_open_at(calendar: Any, moment: datetime) -> bool:
    return compile_calendar(calendar).open_at(moment)
