"""The ticket page's thread and history: which messages and events it shows.

A ticket page shows the latest THREAD_PAGE messages and HISTORY_PAGE events, so
it costs the same whatever the length of the thread; earlier ones load on demand
("Show earlier", htmx). Messages and events are read as values, not model
instances, and drawn by the Jinja2 fragments `desk/_messages.html` and
`desk/_events.html` (rapport.desk.fragments).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from rapport.core.fast.prepared import Prepared
from rapport.directory.queries import Scope
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket

# A name is all the thread shows of a person: not the dozen other columns.
NAME_FIELDS = ("full_name", "first_name", "last_name", "username")
MESSAGE_FIELDS = (
    "id", "ticket_id", "author_id", "author_side", "is_internal", "channel", "body_html",
    "created_at", *(f"author__{name}" for name in NAME_FIELDS),
)  # fmt: skip
EVENT_FIELDS = (
    "id", "ticket_id", "actor_id", "created_at", "kind", "field", "old_value", "new_value",
    "data", *(f"actor__{name}" for name in NAME_FIELDS),
)  # fmt: skip

THREAD_PAGE = 20
HISTORY_PAGE = 30
# A poll returns every message from the first one on screen: more than this
# arriving while a page is open is not a conversation any more.
MAX_NEW = 500


def display_name(row: dict[str, Any], who: str) -> str:
    """Person.display_name, from a row's values (`who__full_name`, ...)."""
    full = row[f"{who}__full_name"]
    if full:
        return str(full)
    first_last = f"{row[f'{who}__first_name']} {row[f'{who}__last_name']}".strip()
    return first_last or str(row[f"{who}__username"])


@dataclass(frozen=True)
class Key:
    """Where a message or event sits in its list: (created_at, id)."""

    at: datetime
    pk: int

    def __str__(self) -> str:
        return f"{self.at.isoformat()}~{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> Key | None:
        """A key from a URL; None for anything this page did not write."""
        if not text or len(text) > 80 or "~" not in text:
            return None
        at, _, pk = text.rpartition("~")
        try:
            when = datetime.fromisoformat(at)
            number = int(pk)
        except ValueError:
            return None
        if when.tzinfo is None or not 0 < number < 2**63:
            return None
        return cls(when, number)

    @classmethod
    def of(cls, row: Any) -> Key:
        """The key of a Message or an Event."""
        return cls(row.created_at, row.pk)

    def before(self) -> Q:
        return Q(created_at__lt=self.at) | Q(created_at=self.at, pk__lt=self.pk)

    def from_here(self) -> Q:
        return Q(created_at__gt=self.at) | Q(created_at=self.at, pk__gte=self.pk)


@dataclass(slots=True, order=True)
class File:
    pk: int
    filename: str
    size: int


@dataclass(slots=True)
class MessageRow:
    """A message as the thread shows it. Messages and events are read as values, not
    model instances: building some hundred instances was a tenth of the page."""

    pk: int
    ticket_id: int
    author: str  # the display name; empty for the system
    author_side: str
    is_internal: bool
    channel: str
    body_html: str
    created_at: datetime
    files: list[File] = field(default_factory=list)

    @classmethod
    def of(cls, row: dict[str, Any]) -> MessageRow:
        author = display_name(row, "author") if row["author_id"] is not None else ""
        files = sorted(File(*f) for f in json.loads(row["packed_files"]))
        return cls(row["id"], row["ticket_id"], author, row["author_side"], row["is_internal"],
                   row["channel"], row["body_html"], row["created_at"], files)  # fmt: skip


@dataclass(slots=True)
class EventRow:
    """An event as the history shows it (what `describe` reads, and who and when)."""

    pk: int
    actor: str  # the display name; empty for the system
    created_at: datetime
    kind: str
    field: str
    old_value: str
    new_value: str
    data: dict[str, Any]

    @classmethod
    def of(cls, row: dict[str, Any]) -> EventRow:
        actor = display_name(row, "actor") if row["actor_id"] is not None else ""
        return cls(row["id"], actor, row["created_at"], row["kind"], row["field"],
                   row["old_value"], row["new_value"], row["data"])  # fmt: skip


@dataclass(frozen=True)
class Page:
    rows: list[Any]  # MessageRows or EventRows
    earlier: Key | None  # where "Show earlier" continues; None: this is the start
    first: Key | None  # the first row shown (a poll starts there)


def _page(rows: list[Any], size: int) -> Page:
    """A page from the latest `size + 1` rows, newest first."""
    earlier = None
    if len(rows) > size:
        rows = rows[:size]
        earlier = Key.of(rows[-1])
    rows.reverse()
    return Page(rows, earlier, Key.of(rows[0]) if rows else None)


def _newest(qs: QuerySet[Any], size: int) -> QuerySet[Any]:
    """The newest `size + 1` rows: one more than a page shows tells if there are earlier."""
    return qs.order_by("-created_at", "-id")[: size + 1]


def _message_rows(ticket: int, internal: bool) -> QuerySet[Any, dict[str, Any]]:
    # Each message brings its attachments in its own row, packed as JSON: one round trip
    # fewer than reading them after, and the prefetch machinery cost more than the
    # whole thread query. The statement is a constant of this module.
    files = RawSQL(_FILES[connection.vendor], (), output_field=TextField())  # noqa: S611
    qs = ticket_queries.messages_of(ticket, internal=internal)
    return qs.annotate(packed_files=files).values(*MESSAGE_FIELDS, "packed_files")


# A message's attachments as a JSON array of [id, filename, size]; the outer query's
# message table is never aliased.
_FILES = {
    "sqlite": (
        "(SELECT json_group_array(json_array(a.id, a.filename, a.size)) "
        "FROM tickets_attachment a WHERE a.message_id = tickets_message.id)"
    ),
    "postgresql": (
        "(SELECT COALESCE(json_agg(json_build_array(a.id, a.filename, a.size)), '[]'::json)"
        "::text FROM tickets_attachment a WHERE a.message_id = tickets_message.id)"
    ),
}


@Prepared
def _latest_messages(key: tuple[bool, int], *, ticket: int) -> QuerySet[Any, dict[str, Any]]:
    """Every ticket page's thread: prepared once per kind of reader (and page size)."""
    internal, size = key
    return _newest(_message_rows(ticket, internal), size)


def messages(
    scope: Scope, ticket: Ticket, *, before: Key | None = None, start: Key | None = None
) -> Page:
    """The latest messages (before `before`), or every message from `start` on."""
    internal = ticket_queries.can_see_internal(scope, ticket)
    if start is not None:
        qs = _message_rows(ticket.pk, internal).filter(start.from_here())
        rows = [MessageRow.of(r) for r in qs.order_by("created_at", "id")[:MAX_NEW]]
        page = Page(rows, None, Key.of(rows[0]) if rows else start)
    elif before is not None:
        earlier = _message_rows(ticket.pk, internal).filter(before.before())
        page = _page([MessageRow.of(r) for r in _newest(earlier, THREAD_PAGE)], THREAD_PAGE)
    else:
        found = _latest_messages((internal, THREAD_PAGE), ticket=ticket.pk)
        page = _page([MessageRow.of(r) for r in found], THREAD_PAGE)
    return page


def _event_rows(ticket: int, kinds: frozenset[str] | None) -> QuerySet[Any, dict[str, Any]]:
    return ticket_queries.events_of(ticket, kinds).values(*EVENT_FIELDS)


@Prepared
def _latest_events(
    key: tuple[frozenset[str] | None, int], *, ticket: int
) -> QuerySet[Any, dict[str, Any]]:
    """Every ticket page's history: prepared once per set of kinds shown (and size)."""
    kinds, size = key
    return _newest(_event_rows(ticket, kinds), size)


def events(scope: Scope, ticket: Ticket, *, before: Key | None = None) -> Page:
    kinds = ticket_queries.history_kinds(scope, ticket)
    if before is None:
        found = _latest_events((kinds, HISTORY_PAGE), ticket=ticket.pk)
    else:
        found = list(_newest(_event_rows(ticket.pk, kinds).filter(before.before()), HISTORY_PAGE))
    return _page([EventRow.of(r) for r in found], HISTORY_PAGE)
