"""Bulk loading of generated rows, one loader per database engine.

The bench seeds in bulk on purpose: it is test data generation (like the
factories of a test suite), and the one place in Rapport that writes tickets
without going through the actions. Going through them would take hours for a
million tickets; what is measured afterwards is the real code on real rows.

Both loaders follow PostgreSQL's "Populating a Database": secondary indexes
are dropped for the load and built again at the end (one sort beats a million
retail inserts; PostgreSQL's full-text index is the exception, see
PostgresLoader), and foreign keys are not checked row by row (the rows are
consistent by construction). A failed load leaves a database without those
indexes; the bench stops then, and its next run starts from scratch.
"""

from __future__ import annotations

import io
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.management.color import no_style
from django.db import connection
from psycopg import sql
from psycopg.copy import Copy, FileWriter
from psycopg.types.json import set_json_dumps

from bench.dataset import COLUMNS, Rows
from rapport.tickets.models import Event, Message, SearchDocument, Ticket, TicketTag

MODELS = [Ticket, Message, Event, TicketTag, SearchDocument]
FTS_INSERT_TRIGGER = "tickets_search_ai"


@dataclass
class CopyData:
    """A batch encoded for PostgreSQL's binary COPY, one stream per table."""

    tickets: int
    tables: dict[str, bytes]


@dataclass
class BatchFile:
    """A batch written to an SQLite file of its own, for the writer to attach."""

    tickets: int
    ticket_ids: tuple[int, int]
    path: str


Batch = CopyData | BatchFile


class Loader(Protocol):
    def load(self, batch: Any) -> None: ...

    def finish(self) -> None: ...


def first_ticket_id() -> int:
    """The next free ticket number, so seeding can continue an existing data set."""
    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def prepare(rows: Rows, spool: str) -> Batch:
    """In a worker process: the batch in the form its database's loader takes.

    The writer is the narrow part of seeding, so what can be done for it is done
    here: encoding COPY data for PostgreSQL, binding the rows into an SQLite file
    for SQLite. Either crosses the process boundary as a few bytes objects or a
    file name (in the folder `spool`), far more cheaply than pickled tuples."""
    if connection.vendor == "postgresql":
        return _copy_data(rows)
    return _batch_file(rows, spool)


def loader() -> Loader:
    if connection.vendor == "postgresql":
        return PostgresLoader()
    return SqliteLoader()


def analyze() -> None:
    """Fresh statistics, so the planner sees the data set as it is."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Freshly copied rows have no visibility map or hint bits yet, which
            # autovacuum would set soon after a real import; VACUUM does it now.
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


class SqliteLoader:
    """Each batch arrives as an SQLite file of plain tables, which the writer
    attaches and copies into the database in one transaction: INSERT … SELECT
    runs inside SQLite, while binding the rows from Python (done by the workers)
    would cost the writer several times as much."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.db: Any = connection.connection
        # This connection only seeds: it may also leave syncing to the operating
        # system and keep its rollback journal in memory (a crash loses a bench
        # database, nothing else; WAL is back at the end), sort index keys in two
        # threads, and keep a quarter of a gigabyte of pages at hand.
        for pragma in ("foreign_keys = OFF", "synchronous = OFF", "journal_mode = MEMORY",
                       "threads = 2", "cache_size = -262144"):  # fmt: skip
            self.db.execute(f"PRAGMA {pragma}")
        (self.trigger,) = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (FTS_INSERT_TRIGGER,),
        ).fetchone()
        # Indexes SQLite made itself (primary keys, unique constraints) have no SQL.
        self.indexes = [
            (name, definition)
            for name, table, definition in self.db.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master"
                " WHERE type = 'index' AND sql IS NOT NULL"
            )
            if table in COLUMNS
        ]
        self._in_transaction([f'DROP INDEX "{name}"' for name, _ in self.indexes])

    def load(self, batch: BatchFile) -> None:
        """The FTS5 insert trigger costs five times more than indexing the batch in
        one statement, so the batch's transaction drops it, indexes its documents
        itself and puts the trigger back: outside the transaction nothing changed."""
        first, last = batch.ticket_ids
        self.db.execute("ATTACH DATABASE ? AS batch", (batch.path,))
        try:
            self._in_transaction(
                [
                    f"DROP TRIGGER {FTS_INSERT_TRIGGER}",
                    *(_copy_sql(table) for table in COLUMNS),
                    lambda cursor: cursor.execute(
                        "INSERT INTO tickets_search_fts (rowid, body) SELECT ticket_id, body"
                        " FROM tickets_searchdocument WHERE ticket_id BETWEEN ? AND ?",
                        (first, last),
                    ),
                    self.trigger,
                ]
            )
        finally:
            self.db.execute("DETACH DATABASE batch")
            os.unlink(batch.path)

    def finish(self) -> None:
        self._in_transaction([definition for _, definition in self.indexes])
        self.db.execute("PRAGMA journal_mode = WAL")

    def _in_transaction(self, steps: list[Any]) -> None:
        """Run SQL statements (or callables taking the cursor) in one transaction."""
        cursor = self.db.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for step in steps:
                if callable(step):
                    step(cursor)
                else:
                    cursor.execute(step)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")


def _batch_file(rows: Rows, spool: str) -> BatchFile:
    """The rows in plain tables (no keys, no indexes) of a new SQLite file."""
    path = os.path.join(spool, f"{rows.ticket_ids[0]}.sqlite3")
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        for table, values in rows.tables.items():
            db.execute(f"CREATE TABLE {table} ({', '.join(COLUMNS[table])})")
            db.executemany(_insert_sql(table), values)
        db.execute("COMMIT")
    finally:
        db.close()
    return BatchFile(tickets=rows.tickets, ticket_ids=rows.ticket_ids, path=path)


def _copy_sql(table: str) -> str:
    columns = ", ".join(COLUMNS[table])
    select = f"SELECT {columns} FROM batch.{table} ORDER BY rowid"  # noqa: S608
    return f"INSERT INTO main.{table} ({columns}) {select}"


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    placeholders = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608


class PostgresLoader:
    """COPY … FROM STDIN through psycopg 3, one transaction per batch.

    The full-text (GIN) index takes longer to build than all the other indexes
    together, on one core, after the load. So it stays in place, and a second
    connection in a thread loads the search documents: the server indexes them
    while the main connection loads the other tables and the workers generate the
    next batches. The other secondary indexes are dropped and built at the end.
    """

    def __init__(self) -> None:
        self.db = _open(connection)
        self.side_wrapper = connection.copy()
        self.side = _open(self.side_wrapper)
        self.side_thread = ThreadPoolExecutor(max_workers=1)
        self.indexes: list[tuple[str, str]] = []  # dropped now, built at the end
        self.kept: list[str] = []
        for table, name, definition in self.db.execute(SECONDARY_INDEXES, (list(COLUMNS),)):
            if table in SIDE_TABLES and "USING gin" in definition:
                self.kept.append(name)
            else:
                self.indexes.append((name, definition))
        with self.db.transaction():
            for name, _ in self.indexes:
                self.db.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def load(self, batch: CopyData) -> None:
        main = {t: data for t, data in batch.tables.items() if t not in SIDE_TABLES}
        side = {t: data for t, data in batch.tables.items() if t in SIDE_TABLES}
        # The side transaction commits after the main one: the documents' foreign
        # keys, when checked, find their tickets.
        side_copied = self.side_thread.submit(_copy, self.side, side, begin=True)
        try:
            with self.db.transaction():
                _copy(self.db, main)
        finally:
            side_copied.result()
        self.side.execute("COMMIT")

    def finish(self) -> None:
        """Build the dropped indexes again, two at a time, merge what the kept GIN
        index still holds in its pending list, and move the sequences past the
        ticket numbers COPY gave explicitly."""
        self.side_thread.shutdown()
        self.side_wrapper.close()
        steps = [definition for _, definition in self.indexes] + [
            f"SELECT gin_clean_pending_list('{name}'::regclass)" for name in self.kept
        ]
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(_run_alone, steps))
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(statement)


# Loaded through the second connection, with their (GIN) index in place.
SIDE_TABLES = frozenset({"tickets_searchdocument"})


def _open(wrapper: Any) -> Any:
    """The raw psycopg connection of a Django connection, set up for loading."""
    wrapper.ensure_connection()
    db = wrapper.connection
    (superuser,) = db.execute(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if superuser:  # only a superuser may skip the foreign-key triggers
        db.execute("SET session_replication_role = replica")
    return db


def _copy(db: Any, tables: dict[str, bytes], *, begin: bool = False) -> None:
    if begin:
        db.execute("BEGIN")
    with db.cursor() as cursor:
        for table, data in tables.items():
            columns = ", ".join(COLUMNS[table])
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)


def _copy_data(rows: Rows) -> CopyData:
    """Binary COPY streams of the rows: psycopg encodes them through this process's
    own connection (for its type adapters) without sending anything. Binary spares
    the server parsing timestamps and numbers from text."""
    connection.ensure_connection()
    db: Any = connection.connection
    tables = {}
    with db.cursor() as cursor:
        set_json_dumps(str, cursor)  # JSON columns arrive as JSON text already
        for table, values in rows.tables.items():
            out = io.BytesIO()
            with Copy(cursor, writer=FileWriter(out), binary=True) as copy:
                copy.set_types(_column_types(db, table))
                for row in values:
                    copy.write_row(row)
            tables[table] = out.getvalue()
    return CopyData(tickets=rows.tickets, tables=tables)


_TYPES: dict[str, list[int]] = {}


def _column_types(db: Any, table: str) -> list[int]:
    """The type oids of a table's generated columns, asked once per process."""
    if table not in _TYPES:
        found = dict(
            db.execute(
                "SELECT attname, atttypid::int FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                (table,),
            ).fetchall()
        )
        _TYPES[table] = [found[column] for column in COLUMNS[table]]
    return _TYPES[table]


# Indexes other than primary keys and unique constraints: table, name, definition.
SECONDARY_INDEXES = """
    SELECT i.tablename, i.indexname, i.indexdef
    FROM pg_indexes i
    JOIN pg_namespace n ON n.nspname = i.schemaname
    JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid
    JOIN pg_index x ON x.indexrelid = c.oid
    WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
      AND NOT x.indisunique AND NOT x.indisprimary
"""


def _run_alone(statement: str) -> None:
    """In a thread of its own, so with a connection of its own."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(statement)
    finally:
        connection.close()
