"""The arithmetic of clocks: terms, business time used, due and check times.

Pure reads and computation; the transitions that write clocks (applied, paused,
resumed, fulfilled, set aside, breached) live in `rapport.sla.actions.clocks`,
which ticket actions call inside their own transaction. Every transition appends
an Event (`sla_applied`, `sla_paused`, `sla_resumed`, `sla_fulfilled`,
`sla_not_applicable`, `sla_breached`, `sla_cancelled`, `sla_updated`), and the
due columns of the ticket are kept current. The sweeper (`rapport.sla.sweeper`)
adds `sla_warning` and `sla_breached` as time passes.

Rules (see README, "Service levels"):

* first response runs from creation and stops at the provider's first public reply;
* next response is armed whenever the client writes publicly and no response
  clock is live after the provider's first reply; the provider's next public reply
  fulfils it (one row per cycle);
* resolution runs from creation, is fulfilled when the ticket is solved or closed,
  and runs on again, with the time it had used, when the ticket is reopened;
* a response clock (first or next) is fulfilled only by a public provider reply:
  solving or closing without one stops it as *not applicable* (left out of
  attainment; a breach already recorded stays), and a reopen resumes it, with the
  time it had used; merging a ticket away cancels its clocks;
* a clock pauses while the ticket's status category is one the agreement lists for it;
* a clock is breached when it used more business time than its target; a breach,
  once recorded, stays recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from rapport.agreements.models import Agreement, AgreementTarget
from rapport.core.choices import Clock
from rapport.core.fast import reference
from rapport.core.fast.reference import Snapshot
from rapport.sla.business_time import (
    MINUTE_US,
    CompiledCalendar,
    compile_calendar,
    from_us,
    to_us,
)
from rapport.sla.models import ClockState, TicketClock
from rapport.tickets.models import Event

BREACH = 100
TARGET_FIELDS = {
    Clock.FIRST_RESPONSE: "first_response_minutes",
    Clock.NEXT_RESPONSE: "next_response_minutes",
    Clock.RESOLUTION: "resolution_minutes",
}
DUE_FIELDS = {
    Clock.FIRST_RESPONSE: "first_response_due_at",
    Clock.NEXT_RESPONSE: "next_response_due_at",
    Clock.RESOLUTION: "resolution_due_at",
}


@dataclass(frozen=True)
class Terms:
    """What a ticket is measured against right now."""

    agreement: Agreement
    targets: dict[str, int]  # clock kind -> business minutes
    # The agreement's calendar compiled already (from the process's reference copy).
    compiled: CompiledCalendar | None = field(default=None, compare=False)

    @property
    def calendar(self) -> CompiledCalendar:
        return self.compiled or compile_calendar(self.agreement.calendar)


def terms_for(agreement_id: int | None, priority: int) -> Terms | None:
    """The agreement's targets at this priority, in one query (None: nothing to measure)."""
    if agreement_id is None:
        return None
    row = (
        AgreementTarget.objects.select_related("agreement__calendar")
        .filter(agreement_id=agreement_id, priority=priority)
        .first()
    )
    if row is None:
        return None
    targets = {str(k): getattr(row, f) for k, f in TARGET_FIELDS.items() if getattr(row, f)}
    return Terms(agreement=row.agreement, targets=targets) if targets else None


def terms_of(
    agreement: Agreement | None, priority: int, ref: Snapshot | None = None
) -> Terms | None:
    """As `terms_for`, from an agreement in hand whose targets are prefetched (the
    cached reference data of `rapport.agreements.queries.provider_agreements`). Its
    compiled calendar is kept in the reference data of this request or task too
    (working out the calendar's cache key cost as much as the clocks' arithmetic)."""
    if agreement is None:
        return None
    row = next((t for t in agreement.targets.all() if t.priority == priority), None)
    if row is None:
        return None
    targets = {str(k): getattr(row, f) for k, f in TARGET_FIELDS.items() if getattr(row, f)}
    if not targets:
        return None
    calendar = agreement.calendar
    compiled = (ref or reference.current()).get(
        ("compiled_calendar", calendar.pk), lambda: compile_calendar(calendar)
    )
    return Terms(agreement=agreement, targets=targets, compiled=compiled)


def levels_of(agreement: Agreement) -> tuple[int, ...]:
    """Where the sweeper looks: every warning threshold, then the breach."""
    warnings = {int(p) for p in agreement.warning_percents or () if 0 < int(p) < BREACH}
    return (*sorted(warnings), BREACH)


def pauses_for(agreement: Agreement, kind: str) -> frozenset[str]:
    return frozenset((agreement.pauses or {}).get(kind, ()))


# --- the arithmetic of one clock ----------------------------------------------


class ClockLike(Protocol):
    """What the arithmetic reads of a clock (a row, or the sweeper's lighter tuple)."""

    state: str
    running_since: datetime | None
    used_us: int
    target_minutes: int
    warned_percent: int


def target_us(c: ClockLike) -> int:
    return c.target_minutes * MINUTE_US


def used_us(c: ClockLike, cal: CompiledCalendar, now: datetime) -> int:
    """Business time the clock has used up to `now`."""
    if c.state == ClockState.RUNNING and c.running_since is not None:
        return used_until(c.used_us, to_us(c.running_since), cal, to_us(now))
    return c.used_us


def used_until(used: int, running_since: int, cal: CompiledCalendar, now: int) -> int:
    """`used_us` of a running clock in integer microseconds (the sweeper's form)."""
    return used + max(0, cal.between(running_since, now))


def due_of(c: TicketClock, cal: CompiledCalendar) -> datetime | None:
    if c.state != ClockState.RUNNING or c.running_since is None:
        return None
    left = target_us(c) - c.used_us
    if left > 0:
        return from_us(cal.add(to_us(c.running_since), left))
    # Over its target before this run began: due when it breached.
    return c.breached_at or c.running_since


def next_check(c: ClockLike, cal: CompiledCalendar, levels: Sequence[int]) -> datetime | None:
    """The next instant the sweeper must look at this clock (a threshold or the breach)."""
    if c.state != ClockState.RUNNING or c.running_since is None:
        return None
    at = next_check_us(to_us(c.running_since), c.used_us, target_us(c), c.warned_percent, cal,
                       levels)  # fmt: skip
    return None if at is None else from_us(at)


def next_check_us(
    running_since: int, used: int, target: int, warned: int, cal: CompiledCalendar,
    levels: Sequence[int],
) -> int | None:  # fmt: skip
    """`next_check` of a running clock in integer microseconds (the sweeper's form)."""
    for level in levels:
        if level <= warned:
            continue
        need = -(-level * target // 100)  # rounded up: at that instant it is crossed
        if need <= used:
            return running_since  # crossed already (e.g. a shorter target): look now
        return cal.add(running_since, need - used)
    return None


def reschedule(c: TicketClock, cal: CompiledCalendar) -> None:
    c.due_at = due_of(c, cal)
    c.next_check_at = next_check(c, cal, levels_of(c.agreement))


CLOCK_FIELDS = [
    "agreement", "priority", "target_minutes", "state", "running_since", "used_us", "due_at",
    "breached_at", "stopped_at", "warned_percent", "next_check_at",
]  # fmt: skip


def due_columns(clocks: Iterable[TicketClock]) -> dict[str, datetime | None]:
    columns: dict[str, datetime | None] = dict.fromkeys(DUE_FIELDS.values())
    for c in clocks:
        if c.state == ClockState.RUNNING and c.due_at is not None:
            field = DUE_FIELDS[Clock(c.kind)]
            current = columns[field]
            columns[field] = c.due_at if current is None else min(current, c.due_at)
    running = [d for d in columns.values() if d is not None]
    columns["sla_due_at"] = min(running) if running else None
    return columns


STOPS = ("sla_paused", "sla_fulfilled", "sla_not_applicable", "sla_cancelled")
RESPONSE_CLOCKS = (Clock.FIRST_RESPONSE, Clock.NEXT_RESPONSE)


def used_from_log(
    c: TicketClock, cal: CompiledCalendar, log: Sequence[Event], now: datetime
) -> int:
    """Business time a clock used, summed over its running spells in the event log."""
    used, since = 0, None
    for event in log:
        data = event.data or {}
        if data.get("clock") != c.kind or data.get("cycle") != c.cycle:
            continue
        starts = event.kind == "sla_resumed" or (
            event.kind == "sla_applied" and data.get("state") == ClockState.RUNNING
        )
        if starts and since is None:
            since = event.created_at
        elif event.kind in STOPS and since is not None:
            used += cal.between(to_us(since), to_us(event.created_at))
            since = None
    if since is not None:
        used += cal.between(to_us(since), to_us(now))
    return used
