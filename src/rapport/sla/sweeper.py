"""The sweeper: clocks whose next check has come raise warnings, breach, and escalate.

Each pass takes a batch of due clocks inside the transaction that then records
what happened, and nothing is recorded twice when several workers sweep at once:

- PostgreSQL locks the batch (`FOR UPDATE SKIP LOCKED`): a second worker passes
  those rows by, and once this transaction commits they are no longer due.
- SQLite has one writer at a time, and our transactions begin IMMEDIATE (they
  take the write lock at BEGIN), so a second worker waits and then finds the rows
  no longer due. The write-back is still a conditional UPDATE (`… WHERE id = ? AND
  next_check_at <= now AND state = 'running'`) whose row count must cover the whole
  batch, else the batch rolls back: the claim holds even without that lock. One
  write per row instead of a claim and a write halves the pages a pass dirties.

A worker that dies mid-batch rolls back, and the rows are due again next time.

Escalations are not applied here: the sweeper records `sla_warning` and
`sla_breached` events (with the levels crossed and the clock's agreement) through
`rapport.tickets.events`, and `rapport.sla.reactions` applies the agreement's
escalations to them, so a sweep stays a few statements per batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.sla.business_time import (
    MINUTE_US,
    CompiledCalendar,
    compile_calendar,
    from_us,
    to_us,
)
from rapport.sla.clocks import BREACH, levels_of, next_check_us, used_until
from rapport.sla.models import TicketClock
from rapport.tickets import events as event_log

log = logging.getLogger(__name__)
BATCH = 25_000


@dataclass
class SweepResult:
    warnings: int = 0
    breaches: int = 0
    clocks: int = 0

    def add(self, other: SweepResult) -> None:
        self.warnings += other.warnings
        self.breaches += other.breaches
        self.clocks += other.clocks


@dataclass(slots=True)
class _Clock:
    """The columns of a clock the sweeper needs: no model instances for 10,000 rows.

    Instants stay integer microseconds since the epoch, as read and as the calendar
    arithmetic takes them: a datetime is made only for what is written out.
    """

    pk: int
    ticket_id: int
    kind: str
    cycle: int
    agreement_id: int
    target_minutes: int
    running_since: int | None
    used_us: int
    due_at: int | None
    breached_at: int | None
    warned_percent: int
    next_check_at: int | None = None


def sweep(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    """Handle every clock due by `now`, batch by batch; safe to run in several workers."""
    now = now or clock.now()
    total = SweepResult()
    lost = 0
    while True:
        try:
            with transaction.atomic():
                _tune_for_batch()
                rows = claim(now, batch)
                if not rows:
                    break
                total.add(_handle(rows, now))
        except _Taken:
            # Rolled back; what is still due is read again. Losing every time would
            # mean the claim itself is broken: fail loudly rather than spin.
            lost += 1
            if lost > _MAX_LOST_BATCHES:
                raise RuntimeError("SLA sweep: batches keep being taken by another worker")
            continue
        if len(rows) < batch:
            break
    return total


def _tune_for_batch() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A pass lost in a crash is harmless: its clocks are due again next
            # minute. So the commit need not wait for the log to reach the disk.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        else:
            # A batch dirties a page per clock, scattered over the table. With
            # SQLite's default 2 MB cache they spill to the log mid-transaction
            # and are written again at commit; 64 MB holds a whole batch. The
            # setting lasts for this (worker) connection only.
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")


_SQLITE_CACHE_KIB = 65_536
_MAX_LOST_BATCHES = 20


_DUE = "next_check_at <= %s AND state = 'running'"
# In _Clock's field order: a claimed row becomes a _Clock as it comes.
_COLUMNS = ("id", "ticket_id", "kind", "cycle", "agreement_id", "target_minutes",
            "running_since", "used_us", "due_at", "breached_at", "warned_percent")  # fmt: skip
_TIMES = ("running_since", "due_at", "breached_at")


def _as_us(column: str) -> str:
    """A timestamp column read as integer microseconds since the epoch (exact).

    Drivers parse timestamps in Python, a few microseconds each (PostgreSQL's,
    through Django's time-zone loader, far more); an integer comes back as is.
    SQLite keeps Django's "YYYY-MM-DD HH:MM:SS[.ffffff]" text in UTC.
    """
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # '%%' is how a literal '%' survives Django's parameter substitution.
    return (
        f"CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column} || '.000000', 21, 6) AS INTEGER)"
    )


def claim(now: datetime, limit: int) -> list[_Clock]:
    """Take up to `limit` due clocks for this transaction; nobody else gets them.

    PostgreSQL locks the rows (FOR UPDATE SKIP LOCKED). SQLite reads them under the
    write lock this IMMEDIATE transaction took at BEGIN; `_write` then proves the
    claim with its conditional UPDATE.
    """
    table = TicketClock._meta.db_table
    columns = ", ".join(_as_us(c) if c in _TIMES else c for c in _COLUMNS)
    sql = (
        f"SELECT {columns} FROM {table} WHERE {_DUE} "  # noqa: S608 (no user input)
        "ORDER BY next_check_at LIMIT %s"
    )
    if connection.vendor == "postgresql":
        sql += " FOR UPDATE SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_to_db(now), limit])
        return [_Clock(*row) for row in cursor.fetchall()]


class _Taken(Exception):
    """Another worker handled some clocks of this batch first: roll it back, read again."""


# Raw SQL gets no field conversion. SQLite keeps naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"
# (as Django writes it); psycopg writes aware datetimes itself.
def _to_db(value: datetime | None) -> Any:
    if value is None or connection.vendor == "postgresql":
        return value
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(sep=" ")


def _iso(us: int) -> str:
    return from_us(us).isoformat()


def _json_time(us: int | None) -> str:
    return f'"{_iso(us)}"' if us is not None else "null"


_NAIVE_EPOCH = datetime(1970, 1, 1)


def _sqlite_time(us: int | None) -> str | None:
    """As `_to_db` writes the same instant (Django's text for SQLite), from microseconds."""
    return None if us is None else (_NAIVE_EPOCH + timedelta(microseconds=us)).isoformat(sep=" ")


class _Context:
    """What a batch needs per agreement, read once."""

    def __init__(self) -> None:
        self.calendars: dict[int, CompiledCalendar] = {}
        self.levels: dict[int, tuple[int, ...]] = {}

    def load(self, agreements: list[Agreement]) -> None:
        for agreement in agreements:
            if agreement.pk not in self.calendars:
                self.calendars[agreement.pk] = compile_calendar(agreement.calendar)
                self.levels[agreement.pk] = levels_of(agreement)


def _handle(clocks: list[_Clock], now: datetime) -> SweepResult:
    result = SweepResult(clocks=len(clocks))
    ctx = _Context()
    agreement_ids = {c.agreement_id for c in clocks}
    ctx.load(list(Agreement.objects.filter(pk__in=agreement_ids).select_related("calendar")))
    events: list[tuple[Any, ...]] = []
    warned: list[tuple[Any, ...]] = []
    breached: list[int] = []
    stamp, now_us = _to_db(now), to_us(now)
    for c in clocks:
        cal, levels = ctx.calendars[c.agreement_id], ctx.levels[c.agreement_id]
        since, target = c.running_since, c.target_minutes * MINUTE_US
        # Claimed clocks are running; one without a start has only the time it had.
        used = c.used_us if since is None else used_until(c.used_us, since, cal, now_us)
        crossed = [lv for lv in levels if lv > c.warned_percent and lv * target <= used * 100]
        # The event's data as JSON by hand: json.dumps is a tenth of a sweep, and
        # these values are identifiers, numbers and ISO timestamps only.
        # `crossed` and `agreement` are for the escalations (rapport.sla.reactions).
        data = (f'{{"clock": "{c.kind}", "cycle": {c.cycle}, '
                f'"target_minutes": {c.target_minutes}, '
                f'"used_minutes": {round(used / MINUTE_US, 2)}, '
                f'"agreement": {c.agreement_id}, "crossed": {crossed}')  # fmt: skip
        if BREACH in crossed:
            if c.breached_at is None:  # as the UPDATE: COALESCE(breached_at, due_at, now)
                c.breached_at = c.due_at if c.due_at is not None else now_us
            c.warned_percent = BREACH
            data += f', "due_at": "{_iso(c.breached_at)}"}}'
            events.append((c.ticket_id, stamp, "sla_breached", c.kind, data))
            breached.append(c.pk)
            result.breaches += 1
        else:
            if crossed:
                c.warned_percent = crossed[-1]
                data += f', "percent": {c.warned_percent}, "due_at": {_json_time(c.due_at)}}}'
                events.append((c.ticket_id, stamp, "sla_warning", c.kind, data))
                result.warnings += 1
            if since is not None:
                c.next_check_at = next_check_us(since, c.used_us, target, c.warned_percent,
                                                cal, levels)  # fmt: skip
            warned.append((c.warned_percent, c.next_check_at, c.pk))
    _write(warned, breached, events, stamp)
    return result


def _write(
    warned: list[tuple[Any, ...]], breached: list[int], events: list[tuple[Any, ...]], now: Any
) -> None:
    """Write a batch back in a few statements.

    ORM instances and bulk_update's CASE per row and column cost more than the
    sweep itself at ten thousand rows. PostgreSQL takes whole arrays (unnest) in
    one round trip; SQLite runs one prepared statement per row in a C loop.
    """
    table = TicketClock._meta.db_table
    breach = (
        f"UPDATE {table} SET warned_percent = {BREACH}, "  # noqa: S608
        "breached_at = COALESCE(breached_at, due_at, %s), next_check_at = NULL "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if breached:
                cursor.execute(breach + "WHERE id = ANY(%s)", [now, breached])
            # Rows travel as one JSON document each: arrays of text would be escaped
            # element by element, slower than the statements themselves.
            if warned:
                rows = ",".join(
                    f'{{"w": {w}, "n": {_json_time(n)}, "id": {pk}}}' for w, n, pk in warned
                )
                cursor.execute(
                    f"UPDATE {table} AS c SET warned_percent = v.w, next_check_at = v.n "  # noqa: S608
                    "FROM jsonb_to_recordset(%s::jsonb) AS v(w int, n timestamptz, id bigint) "
                    "WHERE c.id = v.id",
                    [f"[{rows}]"],
                )
        else:
            # The conditional UPDATEs are the claim (see the module docstring): every
            # row of the batch must still be due, or another worker got there first.
            done = 0
            for start in range(0, len(breached), 1000):
                chunk = breached[start : start + 1000]
                cursor.execute(
                    breach + f"WHERE id IN ({', '.join(['%s'] * len(chunk))}) AND {_DUE}",
                    [now, *chunk, now],
                )
                done += cursor.rowcount
            if warned:
                cursor.executemany(
                    f"UPDATE {table} SET warned_percent = %s, next_check_at = %s "  # noqa: S608
                    f"WHERE id = %s AND {_DUE}",
                    [(w, _sqlite_time(n), pk, now) for w, n, pk in warned],
                )
                done += cursor.rowcount
            if done != len(breached) + len(warned):
                raise _Taken
    event_log.append_encoded(events, now)
