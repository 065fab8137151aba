"""The only writer of the ticket event log.

Every app that records what happened to a ticket appends here (`append`,
`append_many`, and `append_encoded` for the SLA sweeper's pre-encoded rows), so one
place knows that a write happened and wakes the reaction worker once the
transaction commits (see `rapport.tickets.reactor`). Events are never updated or
deleted.

`muted()` marks the events written in a block (`"muted": true` in their data):
reactions that reach people (mail) pass them by, e.g. for demo data and imports.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from rapport.core import clock
from rapport.core.fast import rows
from rapport.directory.models import Person
from rapport.tickets.models import Event, Ticket

MAX_VALUE = 300

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("events_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Events written in this block say so: reactions that notify people skip them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def build(
    ticket: Ticket,
    actor: Person | None,
    kind: str,
    field: str = "",
    old: object = "",
    new: object = "",
    *,
    at: datetime | None = None,
    **data: Any,
) -> Event:
    """An event not yet written (for `append_many`); `at` defaults to now."""
    if _muted.get():
        data["muted"] = True
    return Event(
        ticket=ticket,
        actor=actor,
        created_at=at or clock.now(),
        kind=kind,
        field=field,
        old_value=str(old)[:MAX_VALUE] if old is not None else "",
        new_value=str(new)[:MAX_VALUE] if new is not None else "",
        data=data,
    )


def append(
    ticket: Ticket,
    actor: Person | None,
    kind: str,
    field: str = "",
    old: object = "",
    new: object = "",
    *,
    at: datetime | None = None,
    **data: Any,
) -> Event:
    """Record one event now."""
    event = build(ticket, actor, kind, field, old, new, at=at, **data)
    append_many([event])
    return event


def append_many(events: Sequence[Event]) -> None:
    """Record events built by `build` (or as `Event(...)`) in one statement where it fits.

    Written by statements built once per process (see rapport.core.fast.rows): events
    come with every ticket write, the hottest writes there are.
    """
    if not events:
        return
    if _muted.get():
        for event in events:
            if not event.data.get("muted"):
                event.data = {**event.data, "muted": True}
    rows.insert(list(events))
    _wake_after_commit()


def append_encoded(events: Sequence[tuple[int, Any, str, str, str]], created_at: Any) -> None:
    """Record events the SLA sweeper encoded itself: (ticket_id, created_at as the
    driver takes it, kind, new_value, data as JSON text), all with field 'sla'.

    Ten thousand events in a sweep: model instances and json.dumps would cost more
    than the sweep's own arithmetic, so these go in as plain rows. PostgreSQL takes
    the whole batch as one JSON document (one round trip); SQLite runs one prepared
    statement per row in a C loop.
    """
    if not events:
        return
    if _muted.get():
        events = [(t, at, k, c, d[:-1] + ', "muted": true}') for t, at, k, c, d in events]
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            doc = ",".join(
                f'{{"t": {t}, "k": "{k}", "c": "{c}", "d": {d}}}' for t, _, k, c, d in events
            )
            cursor.execute(
                f"INSERT INTO {table} (ticket_id, created_at, kind, field, "  # noqa: S608
                "old_value, new_value, data) SELECT v.t, %s, v.k, 'sla', '', v.c, v.d "
                "FROM jsonb_to_recordset(%s::jsonb) AS v(t bigint, k text, c text, d jsonb)",
                [created_at, f"[{doc}]"],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (ticket_id, created_at, kind, field, "  # noqa: S608
                "old_value, new_value, data) VALUES (%s, %s, %s, 'sla', '', %s, %s)",
                events,
            )
    _wake_after_commit()


# --- waking the reaction worker ------------------------------------------------

_waker: list[Callable[[float], None]] = []


def set_waker(wake: Callable[[float], None]) -> None:
    """What runs after a commit that appended events: the reaction worker's kick,
    given a delay in seconds (0: now)."""
    _waker[:] = [wake]


_KICK = {"last": -1e9, "delayed_for": -1e9}
KICK_INTERVAL = 0.25  # seconds: one drain serves every event committed before it reads


def _wake_after_commit() -> None:
    if _waker:
        transaction.on_commit(_wake)


def _wake() -> None:
    """Debounced: at most one immediate and one delayed kick per interval and process;
    an event committed just after a drain read the log is covered by the delayed one."""
    now = time.monotonic()
    if now - _KICK["last"] >= KICK_INTERVAL:
        _KICK["last"] = now
        _waker[0](0)
    elif _KICK["delayed_for"] != _KICK["last"]:
        _KICK["delayed_for"] = _KICK["last"]
        _waker[0](KICK_INTERVAL)
