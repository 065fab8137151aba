"""Process-local copies of slow-changing reference data, never stale.

Creating a ticket or taking in a mail reads the same few rows every time: the
open status, the provider's agreements with their targets and calendar, the
mailboxes, the parties asking and asked. Reading them is most of the SQL of
those hot writes. Here a caller takes a `Snapshot` (one tiny query: the stamp of
`core.ReferenceStamp`, which database triggers change on every write to those
tables) and asks it for values by key; a value loaded under another stamp is
loaded again. So an admin's edit is seen by the next request in every process,
with no messages between them.

Cached objects are shared between requests: callers must not modify them.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")
_STAMP_ID = 1
_lock = threading.Lock()
# (database vendor, database name) -> key -> (stamp, value)
_stores: dict[tuple[str, str], dict[tuple[Any, ...], tuple[int, Any]]] = {}


class Snapshot:
    """Reference data as of one stamp read; `stamp=None` reads straight through."""

    def __init__(self, stamp: int | None) -> None:
        self.stamp = stamp

    def get(self, key: tuple[Any, ...], load: Callable[[], T]) -> T:
        if self.stamp is None:
            return load()
        store = _store()
        hit = store.get(key)
        if hit is not None and hit[0] == self.stamp:
            value: T = hit[1]
            return value
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
    """The current stamp, in one statement (a raw cursor: the ORM would cost more
    than the query)."""
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


def new_stamp() -> int:
    return secrets.randbits(62)


def clear() -> None:
    """Forget every copy (tests; the stamp alone already keeps them correct)."""
    with _lock:
        _stores.clear()


# --- the triggers -----------------------------------------------------------------

REFERENCE_TABLES = (
    "tickets_status",
    "agreements_agreement",
    "agreements_agreementtarget",
    "agreements_calendar",
    "mail_mailbox",
)
# Tables given triggers by a later migration of their own (core 0005): parties, which
# every new ticket names twice and which change as rarely as agreements do.
LATER_TABLES = ("directory_party",)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rapport_new_reference_stamp() RETURNS trigger AS $$
BEGIN
    UPDATE core_referencestamp SET stamp = floor(random() * 4611686018427387903)::bigint
    WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def trigger_sql(vendor: str, table: str) -> list[str]:
    """Statements that make every change to `table` give the stamp a new value."""
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_reference_stamp ON {table}",
            f"CREATE TRIGGER {table}_reference_stamp AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION rapport_new_reference_stamp()",
        ]
    if vendor == "sqlite":
        # The table names are our own constants, never input.
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_reference_stamp_{op.lower()} AFTER {op} ON "  # noqa: S608
            f"{table} BEGIN UPDATE core_referencestamp SET stamp = random() WHERE id = 1; END"
            for op in ("INSERT", "UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"reference stamps need triggers for {vendor}")


def install_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION)
    schema_editor.execute(
        "INSERT INTO core_referencestamp (id, stamp) VALUES (%s, %s)", [_STAMP_ID, new_stamp()]
    )
    for table in REFERENCE_TABLES:
        for statement in trigger_sql(vendor, table):
            schema_editor.execute(statement)


def drop_trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_reference_stamp ON {table}"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_reference_stamp_{op}"
        for op in ("insert", "update", "delete")
    ]


def install_later_triggers(apps: Any, schema_editor: Any) -> None:
    for table in LATER_TABLES:
        for statement in trigger_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


def remove_later_triggers(apps: Any, schema_editor: Any) -> None:
    for table in LATER_TABLES:
        for statement in drop_trigger_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


def remove_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in REFERENCE_TABLES:
        for statement in drop_trigger_sql(vendor, table):
            schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS rapport_new_reference_stamp()")
