"""The writers of clocks: the transitions ticket actions call inside their transaction.

The rules are in `rapport.sla.clocks` (and the README, "Service levels"); the
arithmetic they use lives there too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rapport.agreements.models import Agreement
from rapport.core import clock as wallclock
from rapport.core.choices import DONE_CATEGORIES, Clock, StatusCategory
from rapport.core.fast.reference import Snapshot
from rapport.directory.models import Person
from rapport.sla.business_time import MINUTE_US, compile_calendar
from rapport.sla.clocks import (
    BREACH,
    CLOCK_FIELDS,
    RESPONSE_CLOCKS,
    Terms,
    due_columns,
    levels_of,
    pauses_for,
    reschedule,
    target_us,
    terms_for,
    terms_of,
    used_from_log,
    used_us,
)
from rapport.sla.models import LIVE_STATES, ClockState, TicketClock
from rapport.tickets import events
from rapport.tickets.models import Event, Side, Ticket

# --- one hook's work ----------------------------------------------------------


class _Work:
    """The clocks of one ticket, changed in memory, then written in a few statements."""

    def __init__(self, ticket: Ticket, actor: Person | None, now: datetime) -> None:
        self.ticket, self.actor, self.now = ticket, actor, now
        self.events: list[Event] = []
        self.clocks: list[TicketClock] = []
        self.changed: dict[int, TicketClock] = {}
        self.created: list[TicketClock] = []

    def load(self) -> _Work:
        self.clocks = list(
            TicketClock.objects.select_for_update(of=("self",))
            .select_related("agreement__calendar")
            .filter(ticket=self.ticket)
            .order_by("kind", "cycle")
        )
        return self

    def live(self, kind: str | None = None) -> list[TicketClock]:
        return [
            c for c in self.clocks if c.state in LIVE_STATES and (kind is None or c.kind == kind)
        ]

    def event(self, kind: str, c: TicketClock, **data: Any) -> None:
        payload = {"clock": c.kind, "cycle": c.cycle, "target_minutes": c.target_minutes}
        payload.update({k: _json(v) for k, v in data.items()})
        self.events.append(
            Event(
                ticket=self.ticket, actor=self.actor, created_at=self.now, kind=kind,
                field="sla", new_value=str(c.kind), data=payload,
            )
        )  # fmt: skip

    def touch(self, c: TicketClock) -> None:
        if c.pk is not None:
            self.changed[c.pk] = c

    # transitions ------------------------------------------------------------

    def apply(self, kind: str, terms: Terms, *, cycle: int = 1) -> TicketClock:
        category = self.ticket.status_category
        paused = category in pauses_for(terms.agreement, kind)
        c = TicketClock(
            ticket=self.ticket, kind=kind, cycle=cycle, agreement=terms.agreement,
            priority=self.ticket.priority, target_minutes=terms.targets[kind],
            state=ClockState.PAUSED if paused else ClockState.RUNNING, started_at=self.now,
            running_since=None if paused else self.now, used_us=0,
        )  # fmt: skip
        reschedule(c, terms.calendar)
        self.clocks.append(c)
        self.created.append(c)
        self.event("sla_applied", c, state=c.state, due_at=c.due_at, priority=c.priority)
        return c

    def pause(self, c: TicketClock, reason: str) -> None:
        cal = compile_calendar(c.agreement.calendar)
        c.used_us = used_us(c, cal, self.now)
        c.state, c.running_since, c.due_at, c.next_check_at = ClockState.PAUSED, None, None, None
        self.touch(c)
        self.event("sla_paused", c, reason=reason, used_minutes=c.used_us / MINUTE_US)

    def resume(self, c: TicketClock, reason: str) -> None:
        cal = compile_calendar(c.agreement.calendar)
        c.state, c.running_since, c.stopped_at = ClockState.RUNNING, self.now, None
        reschedule(c, cal)
        self.touch(c)
        self.event("sla_resumed", c, reason=reason, due_at=c.due_at)

    def fulfil(self, c: TicketClock, reason: str) -> None:
        cal = compile_calendar(c.agreement.calendar)
        c.used_us = used_us(c, cal, self.now)
        if c.used_us > target_us(c) and c.breached_at is None:
            # Fulfilled late and the sweeper had not seen it yet: the breach is recorded now.
            c.breached_at = c.due_at or self.now
            c.warned_percent = BREACH
            self.event("sla_breached", c, due_at=c.breached_at)
        c.state, c.running_since, c.stopped_at, c.next_check_at = (
            ClockState.FULFILLED, None, self.now, None,
        )  # fmt: skip
        self.touch(c)
        self.event(
            "sla_fulfilled", c, reason=reason, used_minutes=c.used_us / MINUTE_US,
            breached=c.breached_at is not None,
        )  # fmt: skip

    def set_aside(self, c: TicketClock, reason: str) -> None:
        """Stop a response clock that no reply fulfilled: no verdict, unless it was
        over its target already (a breach that happened stays a breach)."""
        cal = compile_calendar(c.agreement.calendar)
        c.used_us = used_us(c, cal, self.now)
        if c.used_us > target_us(c) and c.breached_at is None:
            c.breached_at = c.due_at or self.now
            c.warned_percent = BREACH
            self.event("sla_breached", c, due_at=c.breached_at)
        c.state, c.running_since, c.stopped_at = ClockState.NOT_APPLICABLE, None, self.now
        c.due_at = c.next_check_at = None
        self.touch(c)
        self.event("sla_not_applicable", c, reason=reason, used_minutes=c.used_us / MINUTE_US)

    def cancel(self, c: TicketClock, reason: str) -> None:
        cal = compile_calendar(c.agreement.calendar)
        c.used_us = used_us(c, cal, self.now)
        c.state, c.running_since, c.stopped_at = ClockState.CANCELLED, None, self.now
        c.due_at = c.next_check_at = None
        self.touch(c)
        self.event("sla_cancelled", c, reason=reason)

    # writing ----------------------------------------------------------------

    def save(self) -> None:
        if self.created:
            TicketClock.objects.bulk_create(self.created)
        for c in self.changed.values():
            c.save(update_fields=CLOCK_FIELDS)
        events.append_many(self.events)
        sync_ticket(self.ticket, self.clocks)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def sync_ticket(ticket: Ticket, clocks: Iterable[TicketClock]) -> None:
    """Write the ticket's due columns if they changed."""
    columns = due_columns(clocks)
    if all(getattr(ticket, k) == v for k, v in columns.items()):
        return
    Ticket.objects.filter(pk=ticket.pk).update(**columns)
    for key, value in columns.items():
        setattr(ticket, key, value)


# --- hooks called by ticket actions ------------------------------------------


def start_new_ticket(
    ticket: Ticket, actor: Person | None, terms: Terms | None, now: datetime
) -> tuple[list[TicketClock], list[Event]]:
    """The clocks a new ticket starts with and their events, worked out before the
    ticket is saved: its due columns are set here and go into its own INSERT, and the
    caller writes the clocks and events with its own (one statement each)."""
    if terms is None:
        return [], []
    work = _Work(ticket, actor, now)
    for kind in (Clock.FIRST_RESPONSE, Clock.RESOLUTION):
        if kind in terms.targets:
            work.apply(kind, terms)
    for key, value in due_columns(work.clocks).items():
        setattr(ticket, key, value)
    return work.created, work.events


def on_public_reply(ticket: Ticket, actor: Person | None, side: str) -> None:
    """A public message: the provider's fulfils response clocks; the client's re-arms one."""
    if ticket.agreement_id is None or side not in (Side.CLIENT, Side.PROVIDER):
        return
    if side == Side.CLIENT and ticket.first_response_at is None:
        # Before the provider's first reply the first-response clock is what is owed:
        # a client's message changes no clock (the common case of mail follow-ups).
        return
    work = _Work(ticket, actor, wallclock.now()).load()
    if side == Side.PROVIDER:
        for c in work.live(Clock.FIRST_RESPONSE) + work.live(Clock.NEXT_RESPONSE):
            work.fulfil(c, "provider replied")
    elif ticket.first_response_at is not None and not (
        work.live(Clock.FIRST_RESPONSE) or work.live(Clock.NEXT_RESPONSE)
    ):
        # The client wrote after the provider's last reply: a reply is owed again.
        terms = terms_for(ticket.agreement_id, ticket.priority)
        if terms is not None and Clock.NEXT_RESPONSE in terms.targets:
            cycles = [c.cycle for c in work.clocks if c.kind == Clock.NEXT_RESPONSE]
            work.apply(Clock.NEXT_RESPONSE, terms, cycle=max(cycles, default=0) + 1)
    work.save()


def on_status_changed(
    ticket: Ticket, actor: Person | None, old_category: str, new_category: str
) -> None:
    if ticket.agreement_id is None:
        return
    work = _Work(ticket, actor, wallclock.now()).load()
    label = StatusCategory(new_category).label
    if new_category in DONE_CATEGORIES:
        for c in work.live():
            if c.kind in RESPONSE_CLOCKS:
                # Solving is not answering: only a public provider reply fulfils these.
                work.set_aside(c, f"ticket {str(label).lower()} without a reply")
            else:
                work.fulfil(c, f"ticket {str(label).lower()}")
        work.save()
        return
    if old_category in DONE_CATEGORIES:
        for kind in Clock:
            latest = [c for c in work.clocks if c.kind == kind][-1:]
            resumable = (
                ClockState.FULFILLED if kind == Clock.RESOLUTION else ClockState.NOT_APPLICABLE
            )
            if latest and latest[0].state == resumable:
                work.resume(latest[0], "reopened")
    for c in work.live():
        should_pause = new_category in pauses_for(c.agreement, c.kind)
        if c.state == ClockState.RUNNING and should_pause:
            work.pause(c, f"status {new_category}")
        elif c.state == ClockState.PAUSED and not should_pause:
            work.resume(c, f"status {new_category}")
    work.save()


def on_terms_changed(ticket: Ticket, actor: Person | None, reason: str) -> None:
    """Priority or agreement changed: recompute every live clock from the ticket's log."""
    if not ticket.agreement_id and not TicketClock.objects.filter(ticket=ticket).exists():
        return
    work = _Work(ticket, actor, wallclock.now()).load()
    live = work.live()
    terms = terms_for(ticket.agreement_id, ticket.priority)
    log = list(
        Event.objects.filter(ticket=ticket, kind__startswith="sla_").order_by("created_at", "id")
    )
    for c in live:
        target = terms.targets.get(c.kind) if terms else None
        if terms is None or target is None:
            work.cancel(c, reason)
            continue
        old_due = c.due_at
        c.agreement, c.priority, c.target_minutes = terms.agreement, ticket.priority, target
        cal = terms.calendar
        c.used_us = used_from_log(c, cal, log, work.now)
        if c.state == ClockState.RUNNING:
            c.running_since = work.now
        # Warnings that are no longer true under the new target may be raised again.
        still = [
            level for level in levels_of(c.agreement)
            if level <= c.warned_percent and level * target_us(c) <= c.used_us * 100
        ]  # fmt: skip
        c.warned_percent = BREACH if c.breached_at else max(still, default=0)
        reschedule(c, cal)
        work.touch(c)
        work.event("sla_updated", c, reason=reason, old_due_at=old_due, due_at=c.due_at,
                   priority=c.priority)  # fmt: skip
        # The agreement's pauses may have changed too: follow the current status.
        should_pause = ticket.status_category in pauses_for(c.agreement, c.kind)
        if c.state == ClockState.RUNNING and should_pause:
            work.pause(c, f"status {ticket.status_category}")
        elif c.state == ClockState.PAUSED and not should_pause:
            work.resume(c, f"status {ticket.status_category}")
    if terms is not None:
        _apply_missing(work, terms)
    work.save()


def _apply_missing(work: _Work, terms: Terms) -> None:
    """Targets the new terms have and no live clock measures yet start now: the log
    holds no time under an agreement the ticket was not under."""
    ticket = work.ticket
    if ticket.status_category in DONE_CATEGORIES:
        return
    for kind in (Clock.FIRST_RESPONSE, Clock.RESOLUTION):
        if kind not in terms.targets or work.live(kind):
            continue
        if kind == Clock.FIRST_RESPONSE and ticket.first_response_at is not None:
            continue  # answered already: nothing is owed
        cycles = [c.cycle for c in work.clocks if c.kind == kind]
        work.apply(kind, terms, cycle=max(cycles, default=0) + 1)


def on_merged(source: Ticket, actor: Person | None) -> None:
    """The source's thread now lives in the target: its own clocks stop without a verdict."""
    if source.agreement_id is None:
        return
    work = _Work(source, actor, wallclock.now()).load()
    for c in work.live():
        work.cancel(c, "merged")
    work.save()


class TicketClocks:
    """The hooks the ticket actions call in the ticket's own transaction; registered
    with `rapport.tickets.clocks` by SlaConfig.ready (tickets does not import sla)."""

    def start(
        self,
        ticket: Ticket,
        actor: Person | None,
        agreement: Agreement | None,
        priority: int,
        ref: Snapshot | None,
        now: datetime,
    ) -> tuple[list[TicketClock], list[Event]]:
        return start_new_ticket(ticket, actor, terms_of(agreement, priority, ref), now)

    def on_public_reply(self, ticket: Ticket, actor: Person | None, side: str) -> None:
        on_public_reply(ticket, actor, side)

    def on_status_changed(
        self, ticket: Ticket, actor: Person | None, old_category: str, new_category: str
    ) -> None:
        on_status_changed(ticket, actor, old_category, new_category)

    def on_terms_changed(self, ticket: Ticket, actor: Person | None, reason: str) -> None:
        on_terms_changed(ticket, actor, reason)

    def on_merged(self, source: Ticket, actor: Person | None) -> None:
        on_merged(source, actor)
