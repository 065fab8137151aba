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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.core.choices import Clock
from rapport.core.errors import RapportError
from rapport.directory.models import OrgMembership, Person, TeamMembership, TeamRole
from rapport.notifications.actions import notify
from rapport.sla.business_time import (
    MINUTE_US,
    CompiledCalendar,
    compile_calendar,
    from_us,
    to_us,
)
from rapport.sla.clocks import BREACH, levels_of, next_check_us, used_until
from rapport.sla.models import Escalation, EscalationAction, Recipient, TicketClock
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event, Ticket

log = logging.getLogger(__name__)
BATCH = 25_000


@dataclass
class SweepResult:
    warnings: int = 0
    breaches: int = 0
    escalations: int = 0
    clocks: int = 0

    def add(self, other: SweepResult) -> None:
        self.warnings += other.warnings
        self.breaches += other.breaches
        self.escalations += other.escalations
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
    """What a batch needs per agreement and per provider, read once."""

    def __init__(self) -> None:
        self.calendars: dict[int, CompiledCalendar] = {}
        self.levels: dict[int, tuple[int, ...]] = {}
        self.escalations: dict[int, list[Escalation]] = {}

    def load(self, agreements: list[Agreement]) -> None:
        for agreement in agreements:
            if agreement.pk not in self.calendars:
                self.calendars[agreement.pk] = compile_calendar(agreement.calendar)
                self.levels[agreement.pk] = levels_of(agreement)
                self.escalations[agreement.pk] = []
        for esc in Escalation.objects.filter(agreement_id__in=[a.pk for a in agreements]):
            self.escalations[esc.agreement_id].append(esc)


def _handle(clocks: list[_Clock], now: datetime) -> SweepResult:
    result = SweepResult(clocks=len(clocks))
    ctx = _Context()
    agreement_ids = {c.agreement_id for c in clocks}
    ctx.load(list(Agreement.objects.filter(pk__in=agreement_ids).select_related("calendar")))
    events: list[tuple[Any, ...]] = []
    warned: list[tuple[Any, ...]] = []
    breached: list[int] = []
    to_escalate: list[tuple[_Clock, Escalation, int]] = []
    stamp, now_us = _to_db(now), to_us(now)
    for c in clocks:
        cal, levels = ctx.calendars[c.agreement_id], ctx.levels[c.agreement_id]
        since, target = c.running_since, c.target_minutes * MINUTE_US
        # Claimed clocks are running; one without a start has only the time it had.
        used = c.used_us if since is None else used_until(c.used_us, since, cal, now_us)
        crossed = [lv for lv in levels if lv > c.warned_percent and lv * target <= used * 100]
        # The event's data as JSON by hand: json.dumps is a tenth of a sweep, and
        # these values are identifiers, numbers and ISO timestamps only.
        data = (f'{{"clock": "{c.kind}", "cycle": {c.cycle}, '
                f'"target_minutes": {c.target_minutes}, '
                f'"used_minutes": {round(used / MINUTE_US, 2)}')  # fmt: skip
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
        for esc in ctx.escalations[c.agreement_id]:
            if esc.at_percent in crossed and esc.clock in ("", c.kind):
                to_escalate.append((c, esc, esc.at_percent))
    _write(warned, breached, events, stamp)
    if to_escalate:
        result.escalations = _escalate(to_escalate)
    return result


def _write(
    warned: list[tuple[Any, ...]], breached: list[int], events: list[tuple[Any, ...]], now: Any
) -> None:
    """Write a batch back in a few statements.

    ORM instances and bulk_update's CASE per row and column cost more than the
    sweep itself at ten thousand rows. PostgreSQL takes whole arrays (unnest) in
    one round trip; SQLite runs one prepared statement per row in a C loop.
    """
    table, events_table = TicketClock._meta.db_table, Event._meta.db_table
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
            if events:
                rows = ",".join(
                    f'{{"t": {t}, "k": "{k}", "c": "{c}", "d": {d}}}' for t, _, k, c, d in events
                )
                cursor.execute(
                    f"INSERT INTO {events_table} (ticket_id, created_at, kind, field, "  # noqa: S608
                    "old_value, new_value, data) SELECT v.t, %s, v.k, 'sla', '', v.c, v.d "
                    "FROM jsonb_to_recordset(%s::jsonb) AS v(t bigint, k text, c text, d jsonb)",
                    [now, f"[{rows}]"],
                )
            return
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
        if events:
            cursor.executemany(
                f"INSERT INTO {events_table} (ticket_id, created_at, kind, field, "  # noqa: S608
                "old_value, new_value, data) VALUES (%s, %s, %s, 'sla', '', %s, %s)",
                events,
            )


# --- escalations --------------------------------------------------------------


def _escalate(items: list[tuple[_Clock, Escalation, int]]) -> int:
    tickets = Ticket.objects.select_related("assignee", "provider_party").in_bulk(
        {c.ticket_id for c, _, _ in items}
    )
    people = _People()
    done = 0
    for c, esc, level in items:
        ticket = tickets[c.ticket_id]
        what = "breached" if level == BREACH else f"is {level}% through its target"
        label = str(Clock(c.kind).label).lower()
        text = f"#{ticket.pk} {ticket.subject}: {label} {what}."
        try:
            if esc.action == EscalationAction.NOTIFY:
                recipients = people.resolve(ticket, esc.recipients or [])
                notify(recipients, "sla_breach" if level == BREACH else "sla_warning", ticket, text)
            elif esc.action == EscalationAction.RAISE_PRIORITY and esc.priority:
                if ticket.priority < esc.priority:
                    ticket_actions.set_priority(None, ticket, esc.priority)
            elif esc.action == EscalationAction.REASSIGN and esc.team_id:
                lead = people.leads_of_team(esc.team_id)
                if lead:
                    ticket_actions.assign(None, ticket, lead[0])
                    notify(lead[:1], "sla_reassigned", ticket, f"{text} It is yours now.")
        except RapportError as exc:  # e.g. the team's lead does not serve this provider
            log.warning("escalation %s on #%s not applied: %s", esc.pk, ticket.pk, exc.detail)
            continue
        done += 1
    return done


class _People:
    """Who an escalation reaches, looked up once per provider in a batch."""

    def __init__(self) -> None:
        self._leads: dict[int, list[Person]] = {}
        self._managers: dict[int, list[Person]] = {}
        self._team_leads: dict[int, list[Person]] = {}

    def resolve(self, ticket: Ticket, recipients: list[str]) -> list[Person]:
        out: list[Person] = []
        if Recipient.ASSIGNEE in recipients and ticket.assignee is not None:
            out.append(ticket.assignee)
        if Recipient.TEAM_LEAD in recipients:
            out += self._provider_leads(ticket.provider_party_id)
        if Recipient.PROVIDER_MANAGER in recipients:
            out += self._provider_managers(ticket)
        return out

    def _provider_leads(self, party_id: int) -> list[Person]:
        if party_id not in self._leads:
            self._leads[party_id] = [
                m.person
                for m in TeamMembership.objects.filter(
                    team__party_id=party_id, role=TeamRole.LEAD
                ).select_related("person")
            ]
        return self._leads[party_id]

    def _provider_managers(self, ticket: Ticket) -> list[Person]:
        """A team's managers are our managers; a vendor's are its organisation admins."""
        party_id = ticket.provider_party_id
        if party_id not in self._managers:
            if ticket.provider_party.is_team:
                found = list(Person.objects.filter(staff_role="manager", is_active=True))
            else:
                found = [
                    m.person
                    for m in OrgMembership.objects.filter(
                        organisation__party_id=party_id, is_admin=True
                    ).select_related("person")
                ]
            self._managers[party_id] = found
        return self._managers[party_id]

    def leads_of_team(self, team_id: int) -> list[Person]:
        if team_id not in self._team_leads:
            self._team_leads[team_id] = [
                m.person
                for m in TeamMembership.objects.filter(team_id=team_id, role=TeamRole.LEAD)
                .select_related("person")
                .order_by("id")
            ]
        return self._team_leads[team_id]
