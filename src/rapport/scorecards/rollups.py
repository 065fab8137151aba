"""Daily rollups, so a month's scorecards read ~30 rows per group instead of every
ticket, clock and survey of the month.

- `roll_up(days)` stores each UTC day's additive figures per (provider, agreement,
  agent) in DailyFigures, computed live by engine.collect_live. The nightly task
  recomputes the last RECENT_DAYS days, so clocks still running when a day was
  first rolled up are counted as they end; older days no longer change.
- `snapshot_backlog(day)` records the backlog at that midnight, which is not additive.

Reading: a period uses the rolled-up days it starts with and reads the rest (today,
days not rolled up yet) live, so figures are always complete.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Aggregate, Sum, TextField

from rapport.core import clock
from rapport.directory.models import Party
from rapport.scorecards import actions
from rapport.scorecards.models import BacklogSnapshot, DailyFigures, RolledUpDay

RECENT_DAYS = 35
_NOT_DAILY = ("backlog", "backlog_over_7_days")  # a backlog is a snapshot, not a sum


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class Joined(Aggregate):
    """The texts of a group joined with commas (group_concat / string_agg)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, function="STRING_AGG",
            template="%(function)s(NULLIF(%(expressions)s, ''), ',')", **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="%(function)s(NULLIF(%(expressions)s, ''), ',')",
            **extra,
        )  # fmt: skip


def _minutes(text: str | None) -> list[float]:
    return [float(x) for x in text.split(",")] if text else []


def read_days(
    buckets: Any, since: datetime, until: datetime, parties: frozenset[int] | None
) -> datetime:
    """Add the rolled-up days at the start of [since, until) to `buckets`; returns
    where the live reading has to start (two queries, summed in SQL)."""
    from rapport.scorecards.engine import COUNTS

    if since != _midnight(since.date()):
        return since
    first, last = since.date(), (until - timedelta(microseconds=1)).date()
    rolled = set(RolledUpDay.objects.filter(day__gte=first, day__lte=last)
                 .values_list("day", flat=True))  # fmt: skip
    day = first
    while day <= last and day in rolled:
        day += timedelta(days=1)
    if day == first:
        return since
    rows = DailyFigures.objects.filter(day__gte=first, day__lt=day)
    if parties is not None:
        rows = rows.filter(provider_party_id__in=parties)
    additive = [c for c in COUNTS if c not in ("backlog", "backlog_over_7_days")]
    for row in (
        rows.values("provider_party_id", "agreement_id", "agent_id")
        .annotate(
            **{f"sum_{c}": Sum(c) for c in additive},
            fr=Joined("fr_minutes"),
            res=Joined("res_minutes"),
        )
        .order_by()
    ):
        b = buckets[(row["provider_party_id"], row["agreement_id"], row["agent_id"])]
        for c in additive:
            b.counts[c] += row[f"sum_{c}"] or 0
        b.fr_minutes += _minutes(row["fr"])
        b.res_minutes += _minutes(row["res"])
    return min(_midnight(day), until)


def read_backlog(buckets: Any, until: datetime, parties: frozenset[int] | None) -> bool:
    """Add the backlog snapshot taken at `until`, if there is one (one query)."""
    if until != _midnight(until.date()):
        return False
    rows = BacklogSnapshot.objects.filter(day=until.date())
    if parties is not None:
        rows = rows.filter(provider_party_id__in=parties)
    found = False
    for row in rows.values_list(
        "provider_party_id", "agreement_id", "agent_id", "count", "over_7_days", "oldest"
    ):
        found = True
        provider, agreement, agent, count, old, oldest = row
        if not count:
            continue  # the marker of an empty backlog
        b = buckets[(provider, agreement, agent)]
        b.counts["backlog"] += count
        b.counts["backlog_over_7_days"] += old
        if oldest is not None and (b.oldest is None or oldest < b.oldest):
            b.oldest = oldest
    # An empty snapshot is recorded as one row of zeros, so "no backlog" is known too.
    return found


@transaction.atomic
def roll_up(days: list[date], now: datetime | None = None) -> int:
    """Compute and store the figures of each day; how many rows were written."""
    from rapport.scorecards.engine import collect_live

    now = now or clock.now()
    written = 0
    for day in days:
        start = _midnight(day)
        if start + timedelta(days=1) > now:
            continue  # a day is rolled up once it is over
        buckets = collect_live(start, start + timedelta(days=1), now=now, backlog=False)
        rows = [
            DailyFigures(
                day=day, provider_party_id=key[0], agreement_id=key[1], agent_id=key[2],
                fr_minutes=",".join(repr(m) for m in b.fr_minutes),
                res_minutes=",".join(repr(m) for m in b.res_minutes),
                **{c: v for c, v in b.counts.items() if c not in _NOT_DAILY},
            )
            for key, b in buckets.items()
        ]  # fmt: skip
        actions.store_day(day, rows, now)
        written += len(rows)
    return written


@transaction.atomic
def snapshot_backlog(day: date) -> int:
    """Record the backlog at 00:00 UTC of `day` (rows written)."""
    from rapport.scorecards.engine import _live_backlog

    buckets: dict[Any, Any] = defaultdict(_bucket)
    _live_backlog(buckets, _midnight(day), None)
    rows = [
        BacklogSnapshot(day=day, provider_party_id=key[0], agreement_id=key[1], agent_id=key[2],
                        count=b.counts["backlog"], over_7_days=b.counts["backlog_over_7_days"],
                        oldest=b.oldest)
        for key, b in buckets.items()
    ]  # fmt: skip
    if not rows:
        anyone = Party.objects.order_by("pk").values_list("pk", flat=True).first()
        if anyone is None:
            return 0
        rows = [BacklogSnapshot(day=day, provider_party_id=anyone, count=0, over_7_days=0)]
    actions.store_backlog(day, rows)
    return len(rows)


def _bucket() -> Any:
    from rapport.scorecards.engine import Bucket

    return Bucket()


def nightly(now: datetime | None = None) -> int:
    """Tonight's work: the backlog at this midnight, and the recent days again."""
    now = now or clock.now()
    today = now.date()
    snapshot_backlog(today)
    return roll_up([today - timedelta(days=n) for n in range(RECENT_DAYS, 0, -1)], now)
