"""Process-local copies of slow-changing reference data, never stale.

Creating a ticket or taking in a mail reads the same few rows every time: the
open status, the provider's agreements with their targets and calendar, the
mailboxes, the parties asking and asked. Reading them is most of the SQL of
those hot writes. Here the code asks `current()` (the snapshot of this request
or task) for values by key; the snapshot is taken once per request or task, on
first use, with one tiny query (the stamp of `core.ReferenceStamp`, which
database triggers change on every write to those tables), and a value loaded
under another stamp is loaded again. So an admin's edit is seen by the next
request in every process, with no messages between them.

The snapshot is ambient: `ReferenceMiddleware` gives each request its own, and
`scope()` (a context manager and decorator) gives one to a task or command.
Outside any scope, `current()` takes a new snapshot on each call. With fast paths
off (`rapport.core.fast.enabled`), a snapshot keeps its values for its own
request or task only: everything is read afresh for the next one, no process copy.

Cached objects are shared between requests: callers must not modify them.
"""

from __future__ import annotations

import contextlib
import contextvars
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import connection, migrations
from django.http import HttpRequest, HttpResponse

from rapport.core import fast

T = TypeVar("T")
_STAMP_ID = 1
_lock = threading.Lock()
# (database vendor, database name) -> key -> (stamp, value)
_stores: dict[tuple[str, str], dict[tuple[Any, ...], tuple[int, Any]]] = {}


class Snapshot:
    """Reference data as of one stamp read; `stamp=None` reads straight through.

    `local`: values are kept for this snapshot alone (fast paths off)."""

    def __init__(self, stamp: int | None, *, local: bool = False) -> None:
        self.stamp = stamp
        self._local: dict[tuple[Any, ...], Any] | None = {} if local else None

    def get(self, key: tuple[Any, ...], load: Callable[[], T]) -> T:
        if self._local is not None:
            if key in self._local:
                found: T = self._local[key]
                return found
            value = load()
            if value is not None:
                self._local[key] = value
            return value
        if self.stamp is None:
            return load()
        store = _store()
        hit = store.get(key)
        if hit is not None and hit[0] == self.stamp:
            cached: T = hit[1]
            return cached
        value = load()
        if value is None:
            # Nothing found is not kept: keys can come from outside (an id in a request),
            # and a copy of every miss would grow without bound.
            return value
        with _lock:
            store[key] = (self.stamp, value)
        return value


def _store() -> dict[tuple[Any, ...], tuple[int, Any]]:
    name = (connection.vendor, str(connection.settings_dict["NAME"]))
    store = _stores.get(name)
    if store is None:
        with _lock:
            store = _stores.setdefault(name, {})
    return store


def snapshot() -> Snapshot:
    """A new snapshot: the current stamp, in one statement (a raw cursor: the ORM
    would cost more than the query). Code asks `current()` instead."""
    if not fast.enabled("reference"):
        return Snapshot(None, local=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT stamp FROM core_referencestamp WHERE id = %s", [_STAMP_ID])
        row = cursor.fetchone()
        if row is None:
            # Emptied by a test's flush (or never seeded): start afresh with a new stamp.
            cursor.execute(
                "INSERT INTO core_referencestamp (id, stamp) VALUES (%s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [_STAMP_ID, new_stamp()],
            )
            cursor.execute("SELECT stamp FROM core_referencestamp WHERE id = %s", [_STAMP_ID])
            row = cursor.fetchone()
    return Snapshot(int(row[0]) if row is not None else None)


# --- the ambient snapshot -----------------------------------------------------------


class _Ambient:
    """The snapshot of one request or task, taken on first use (most pages need none)."""

    __slots__ = ("snapshot",)

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None


_ambient: contextvars.ContextVar[_Ambient | None] = contextvars.ContextVar(
    "rapport_reference", default=None
)


def current() -> Snapshot:
    """The snapshot of this request or task (a new one on each call outside any)."""
    ambient = _ambient.get()
    if ambient is None:
        return snapshot()
    if ambient.snapshot is None:
        ambient.snapshot = snapshot()
    return ambient.snapshot


def adopt(stamp: int) -> Snapshot:
    """The snapshot of this request or task, taken from a stamp the caller read along
    with its own rows (saves the stamp's query) unless one was taken already."""
    ambient = _ambient.get()
    if ambient is not None and ambient.snapshot is not None:
        return ambient.snapshot
    found = Snapshot(stamp) if fast.enabled("reference") else Snapshot(None, local=True)
    if ambient is not None:
        ambient.snapshot = found
    return found


@contextlib.contextmanager
def scope() -> Iterator[None]:
    """One snapshot for what runs inside (a task, a command, a batch of mail).

    Also a decorator. A scope inside a scope shares the outer one's snapshot."""
    if _ambient.get() is not None:
        yield
        return
    token = _ambient.set(_Ambient())
    try:
        yield
    finally:
        _ambient.reset(token)


class ReferenceMiddleware:
    """Gives every request its own snapshot of the reference data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _ambient.set(_Ambient())
        try:
            return self.get_response(request)
        finally:
            _ambient.reset(token)


def new_stamp() -> int:
    return secrets.randbits(62)


def clear() -> None:
    """Forget every copy (tests; the stamp alone already keeps them correct)."""
    with _lock:
        _stores.clear()


# --- the triggers -----------------------------------------------------------------
# Each app installs them on its own reference tables with a migration of its own
# (`stamp_triggers`): core names no other app's table.

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rapport_new_reference_stamp() RETURNS trigger AS $$
BEGIN
    UPDATE core_referencestamp SET stamp = floor(random() * 4611686018427387903)::bigint
    WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_OPS = ("insert", "update", "delete")


def trigger_sql(vendor: str, table: str) -> list[str]:
    """Statements that make every change to `table` give the stamp a new value
    (whatever triggers of that name were there before are replaced)."""
    if vendor == "postgresql":
        return [
            *drop_trigger_sql(vendor, table),
            f"CREATE TRIGGER {table}_reference_stamp AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION rapport_new_reference_stamp()",
        ]
    if vendor == "sqlite":
        # The table names are the migrations' constants, never input.
        return [
            *drop_trigger_sql(vendor, table),
            *(
                f"CREATE TRIGGER {table}_reference_stamp_{op} AFTER {op.upper()} ON "  # noqa: S608
                f"{table} BEGIN UPDATE core_referencestamp SET stamp = random() WHERE id = 1; END"
                for op in _OPS
            ),
        ]
    raise NotImplementedError(f"reference stamps need triggers for {vendor}")


def drop_trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_reference_stamp ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_reference_stamp_{op}" for op in _OPS]


def install_stamp(apps: Any, schema_editor: Any) -> None:
    """The stamp's row, and on PostgreSQL the function every table's trigger calls."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION)
    schema_editor.execute(
        "INSERT INTO core_referencestamp (id, stamp) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
        [_STAMP_ID, new_stamp()],
    )


def remove_stamp(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS rapport_new_reference_stamp()")


def stamp_triggers(*tables: str) -> Any:
    """A migration operation: every write to these tables (of the migration's own app)
    gives the stamp a new value. It replaces triggers of the same name, so a database
    that had them from an earlier migration ends up with the same ones."""

    def install(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for statement in trigger_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(statement)

    def remove(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for statement in drop_trigger_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(statement)

    return migrations.RunPython(install, remove)
