"""Reactions: apps act on what happened to tickets by reading the event log.

An app declares what it reacts to in its own `reactions.py`::

    @reacts_to("status")
    def schedule_survey(event: Event, ticket: Ticket) -> None: ...

Each handler is a *subscriber* with a stored cursor (`ReactionCursor`: the id of the
last event it handled or passed by). `drain()` runs in the worker, kicked after every
commit that appended events (`tickets.events`) and every minute. One pass reads the
new events once for every subscriber and calls each handler for the kinds it named,
with the event and its ticket as it is now (decide by the event's data):

- **At least once.** A handler's writes and its cursor's advance commit in the same
  transaction (a savepoint per call), so a crash repeats the pass; what a handler
  starts outside the database (mail) may then happen twice: handlers are idempotent.
- **In order per ticket.** Events are read in id order. A failing call is recorded
  (`PendingReaction`, retrying) and the subscriber's later events of that ticket wait
  behind it (held) until it succeeds; other tickets and other subscribers go on.
- **Retry, then park.** A failed call is tried again after BACKOFF; after
  MAX_ATTEMPTS it is parked with its error for an admin (desk page, API), who can
  retry it (`attempt`).

The claim statements live here, and only here:

- A pass locks the cursors it drains. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`,
  so a second worker drains the subscribers the first is not draining, and nothing
  runs twice at once. SQLite: Rapport's transactions take the write lock at BEGIN
  (IMMEDIATE), so a second worker waits and then reads the cursors as advanced.
- PostgreSQL hands out ids before commit, so a committed event can have a larger id
  than one still being written: a cursor that passed it would never see the smaller
  one. A cursor stops at a hole in the ids and waits up to GAP_GRACE for it to fill
  before treating it as rolled back. SQLite has one writer and AUTOINCREMENT ids
  (a rolled-back id is never seen), so it has no holes to wait on.

The log is read with one query per pass for all subscribers and the tickets with a
second, so a pass of BATCH events costs a few statements plus what the handlers do.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils.module_loading import autodiscover_modules

from rapport.core import clock
from rapport.core.fast import reference
from rapport.tickets.models import Event, PendingReaction, ReactionCursor, ReactionState, Ticket

log = logging.getLogger(__name__)

Handler = Callable[[Event, Ticket], Any]
BATCH = 2_000
# SQLite has one writer: a pass holds the write lock from its first write to its commit,
# and web requests wait at most busy_timeout (10 s) for it. A worker catching up after a
# restart ran passes of 2,000 reactions (mail for each) that held it long enough for
# creates to fail with "database is locked" (tests/test_worker_kill.py); a tenth of
# that keeps a pass well under a second and the worker yields the lock between passes.
SQLITE_BATCH = 200
MAX_ATTEMPTS = 5
# After the 1st, 2nd, 3rd and 4th failure: about 10 minutes from first failure to parked.
BACKOFF = (timedelta(seconds=10), timedelta(seconds=40), timedelta(minutes=2),
           timedelta(minutes=7))  # fmt: skip
GAP_GRACE = timedelta(seconds=5)
MAX_ERROR = 4_000


@dataclass(frozen=True)
class Subscriber:
    name: str
    kinds: frozenset[str]
    handler: Handler


_subscribers: dict[str, Subscriber] = {}


def reacts_to(*kinds: str) -> Callable[[Handler], Handler]:
    """Make the function a subscriber to these event kinds, named `<app>.<function>`."""
    if not kinds:
        raise ValueError("name at least one event kind")

    def register(handler: Handler) -> Handler:
        parts = handler.__module__.split(".")
        app = parts[-2] if parts[-1] == "reactions" and len(parts) > 1 else handler.__module__
        name = f"{app}.{handler.__name__}"
        _subscribers[name] = Subscriber(name, frozenset(kinds), handler)
        return handler

    return register


def autodiscover() -> None:
    """Import every installed app's `reactions` module (at start-up)."""
    autodiscover_modules("reactions")


def subscribers() -> dict[str, Subscriber]:
    return dict(_subscribers)


# --- draining --------------------------------------------------------------------


def drain(
    *, limit: int | None = None, gap_grace: timedelta = GAP_GRACE, linger: float = 0.0
) -> int:
    """Handle everything due: retries whose time has come, then new events, pass after
    pass until the subscribers have caught up. Returns the events read.

    `linger`: then keep watching for new events until none came for that many seconds
    (the worker's drain): under a steady stream one drain follows the log with a
    cheap read every POLL seconds instead of waiting for each kick to be queued and
    picked up (a queued task's start-up is most of the lag otherwise).
    """
    if limit is None:
        limit = SQLITE_BATCH if connection.vendor == "sqlite" else BATCH
    read = 0
    deadline = time.monotonic() + linger
    while True:
        got, advanced = _pass(limit, gap_grace)
        read += got
        if advanced:
            deadline = time.monotonic() + linger
            if got >= limit:
                continue
        if time.monotonic() >= deadline:
            return read
        time.sleep(POLL)
        while not news() and time.monotonic() < deadline:
            time.sleep(POLL)


POLL = 0.05  # seconds between two looks at the log while lingering
_low = {"position": 0}  # the lowest cursor after the last pass in this process


def news() -> bool:
    """Whether the log has events past the lowest cursor seen last: one indexed read,
    no lock, so watching the log costs writers nothing."""
    return Event.objects.filter(pk__gt=_low["position"]).exists()


# One snapshot of the reference data per pass (rapport.core.fast.reference): handlers
# that raise tickets or compute clocks read the stamp once for the batch, not once
# per call, and a drain that follows the log for minutes still sees reference data
# changed meanwhile at its next pass.
@reference.scope()
def _pass(limit: int, gap_grace: timedelta) -> tuple[int, bool]:
    subs = subscribers()
    if not subs:
        return 0, False
    with transaction.atomic():
        cursors = _claim_cursors(subs)
        if not cursors:
            return 0, False
        now = clock.now()
        _retry_due(subs, cursors, now, limit)
        start = min(c.position for c in cursors.values())
        _low["position"] = start
        # The log as (id, ticket, kind) tuples; whole events only of the kinds some
        # subscriber takes: most events (clocks, tags, notes) concern nobody.
        ids = list(
            Event.objects.filter(pk__gt=start)
            .order_by("pk")
            .values_list("pk", "ticket_id", "kind")[:limit]
        )
        if not ids:
            return 0, False
        kinds = frozenset().union(*(subs[name].kinds for name in cursors))
        taken = [row for row in ids if row[2] in kinds]
        events: dict[int, Event] = {}
        tickets: dict[int, Ticket] = {}
        blocked: set[tuple[str, int]] = set()
        if taken:
            events = {
                e.pk: e
                for e in Event.objects.filter(
                    pk__gt=start, pk__lte=ids[-1][0], kind__in=sorted(kinds)
                ).order_by("pk")
            }
            wanted = {ticket_id for _, ticket_id, _ in taken}
            tickets = Ticket.objects.in_bulk(wanted)
            blocked = set(
                PendingReaction.objects.filter(
                    subscriber__in=list(cursors), ticket_id__in=wanted
                ).values_list("subscriber", "ticket_id")
            )
        advanced = False
        for name, cursor in cursors.items():
            sub = subs[name]
            end = _readable_end(cursor, ids, now, gap_grace)
            mine = [
                (events[pk], tickets[ticket_id])
                for pk, ticket_id, kind in taken
                if cursor.position < pk <= end
                and kind in sub.kinds
                and pk in events
                and ticket_id in tickets  # a deleted ticket: nothing left to react on
            ]
            if mine:
                _deliver(sub, mine, blocked, now)
            if end > cursor.position:
                cursor.position = end
                advanced = True
            cursor.updated_at = now
        ReactionCursor.objects.bulk_update(
            list(cursors.values()), ["position", "gap_since", "updated_at"]
        )
        _low["position"] = min(c.position for c in cursors.values())
        return len(ids), advanced


def _deliver(
    sub: Subscriber,
    mine: list[tuple[Event, Ticket]],
    blocked: set[tuple[str, int]],
    now: datetime,
) -> None:
    """Run a subscriber's events of a pass in order. Optimistically in one savepoint
    (a savepoint per call cost more than most handlers); if any call fails, that is
    rolled back and the events are run again one savepoint each, so the failure is
    recorded and the others keep their work."""
    if not any((sub.name, e.ticket_id) in blocked for e, _ in mine):
        try:
            with transaction.atomic():
                for event, ticket in mine:
                    sub.handler(event, ticket)
            return
        except Exception:  # noqa: S110 (found and recorded call by call just below)
            pass
    for event, ticket in mine:
        if (sub.name, event.ticket_id) in blocked:
            _pend(sub, event, ReactionState.HELD, now)
            continue
        error = _call(sub, event, ticket)
        if error is not None:
            _pend(sub, event, ReactionState.RETRYING, now, error=error)
            blocked.add((sub.name, event.ticket_id))


def _claim_cursors(subs: dict[str, Subscriber]) -> dict[str, ReactionCursor]:
    """This pass's cursors, locked until it commits (see the module docstring).

    A subscriber met for the first time starts at the beginning of the log when no
    subscriber has a cursor yet (a new database), and at its end when others do (a
    database in use), so deploying a new reaction does not replay history.
    """
    qs = ReactionCursor.objects.filter(subscriber__in=list(subs))
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True)
    cursors = {c.subscriber: c for c in qs}
    missing = [name for name in subs if name not in cursors]
    if missing:
        in_use = ReactionCursor.objects.exists()
        start = (Event.objects.aggregate(end=Max("pk"))["end"] or 0) if in_use else 0
        ReactionCursor.objects.bulk_create(
            [ReactionCursor(subscriber=name, position=start) for name in missing],
            ignore_conflicts=True,
        )
        again = ReactionCursor.objects.filter(subscriber__in=missing)
        if connection.vendor == "postgresql":
            again = again.select_for_update(skip_locked=True)
        cursors.update({c.subscriber: c for c in again})
    return cursors


def _readable_end(
    cursor: ReactionCursor, ids: list[tuple[int, int, str]], now: datetime, grace: timedelta
) -> int:
    """The last id of the pass this cursor may pass: on PostgreSQL, up to a hole in
    the ids younger than `grace` (an event that may still commit)."""
    if connection.vendor != "postgresql":
        return max(cursor.position, ids[-1][0])
    last = cursor.position
    for pk, _, _ in ids:
        if pk <= cursor.position:
            continue
        if last and pk != last + 1:
            if cursor.gap_since is None:
                cursor.gap_since = now
            if now - cursor.gap_since < grace:
                return last
        cursor.gap_since = None
        last = pk
    return last


def _call(sub: Subscriber, event: Event, ticket: Ticket) -> str | None:
    """Run one handler in a savepoint; its error text, or None when it succeeded."""
    try:
        with transaction.atomic():
            sub.handler(event, ticket)
    except Exception:
        log.warning("reaction %s failed on event %s", sub.name, event.pk, exc_info=True)
        return traceback.format_exc()[-MAX_ERROR:]
    return None


def _pend(
    sub: Subscriber, event: Event, state: str, now: datetime, *, error: str = ""
) -> PendingReaction:
    failing = state == ReactionState.RETRYING
    row = PendingReaction(
        subscriber=sub.name, event=event, ticket_id=event.ticket_id, state=state,
        attempts=1 if failing else 0, next_attempt_at=now + BACKOFF[0] if failing else None,
        error=error, created_at=now, updated_at=now,
    )  # fmt: skip
    row.save()
    return row


def _retry_due(
    subs: dict[str, Subscriber], cursors: dict[str, ReactionCursor], now: datetime, limit: int
) -> None:
    due = (
        PendingReaction.objects.filter(
            subscriber__in=list(cursors), state=ReactionState.RETRYING, next_attempt_at__lte=now
        )
        .select_related("event")
        .order_by("event_id")[:limit]
    )
    for row in due:
        sub = subs.get(row.subscriber)
        if sub is not None:
            attempt(row, sub, now)


def attempt(row: PendingReaction, sub: Subscriber, now: datetime) -> bool:
    """Run a pending reaction again (inside the caller's transaction). On success it is
    gone and the events held behind it run in order; on failure it waits for its next
    try or, out of tries, is parked. Whether it succeeded."""
    ticket = Ticket.objects.filter(pk=row.ticket_id).first()
    error = None if ticket is None else _call(sub, row.event, ticket)
    if error is None:
        row.delete()
        _release(sub, row.ticket_id, now)
        return True
    row.attempts += 1
    row.error, row.updated_at = error, now
    if row.attempts >= MAX_ATTEMPTS:
        row.state, row.next_attempt_at = ReactionState.PARKED, None
    else:
        row.state = ReactionState.RETRYING
        row.next_attempt_at = now + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
    row.save()
    return False


def _release(sub: Subscriber, ticket_id: int, now: datetime) -> None:
    held = (
        PendingReaction.objects.filter(subscriber=sub.name, ticket_id=ticket_id)
        .select_related("event")
        .order_by("event_id")
    )
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    for row in held:
        if row.state != ReactionState.HELD:
            return  # another failure of this ticket is ahead: the rest stay behind it
        error = None if ticket is None else _call(sub, row.event, ticket)
        if error is not None:
            row.state, row.attempts, row.error = ReactionState.RETRYING, 1, error
            row.next_attempt_at, row.updated_at = now + BACKOFF[0], now
            row.save()
            return
        row.delete()


# --- lag -------------------------------------------------------------------------


def lag(names: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per subscriber: events behind (ids past its cursor), seconds behind (the age of
    the oldest event it has not read), and its retrying and parked reactions."""
    subs = subscribers()
    wanted = list(names) if names is not None else sorted(subs)
    positions = dict(
        ReactionCursor.objects.filter(subscriber__in=wanted).values_list("subscriber", "position")
    )
    end = Event.objects.aggregate(end=Max("pk"))["end"] or 0
    pending: dict[tuple[str, str], int] = {
        (s, state): n
        for s, state, n in PendingReaction.objects.filter(subscriber__in=wanted)
        .values_list("subscriber", "state")
        .annotate(n=Count("id"))
        .values_list("subscriber", "state", "n")
    }
    oldest_pending = dict(
        PendingReaction.objects.filter(subscriber__in=wanted)
        .values_list("subscriber")
        .annotate(first=Min("event__created_at"))
        .values_list("subscriber", "first")
    )
    now = clock.now()
    out: dict[str, dict[str, Any]] = {}
    for name in wanted:
        position = positions.get(name, 0)
        behind = max(end - position, 0)
        oldest = None
        if behind:
            oldest = (
                Event.objects.filter(pk__gt=position)
                .order_by("pk")
                .values_list("created_at", flat=True)
                .first()
            )
        seconds = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
        out[name] = {
            "events_behind": behind,
            "seconds_behind": round(seconds, 1),
            "retrying": pending.get((name, ReactionState.RETRYING), 0),
            "held": pending.get((name, ReactionState.HELD), 0),
            "parked": pending.get((name, ReactionState.PARKED), 0),
            "oldest_pending": oldest_pending[name].isoformat()
            if oldest_pending.get(name)
            else None,
        }
    return out


def health() -> dict[str, Any]:
    """For /healthz: each subscriber's lag; "behind" when one is a minute or more behind
    or has parked reactions (the web still serves: it is not an error)."""
    subs = lag()
    behind = any(s["seconds_behind"] >= 60 or s["parked"] for s in subs.values())
    return {"status": "behind" if behind else "ok", "subscribers": subs}
