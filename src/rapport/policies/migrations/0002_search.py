"""The library's full-text index, on each database engine as for tickets
(tickets/migrations/0002): FTS5 over policies_document.search_text on SQLite, a GIN
expression index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE policies_document_fts USING fts5(
        search_text, content='policies_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER policies_document_ai AFTER INSERT ON policies_document BEGIN
        INSERT INTO policies_document_fts(rowid, search_text)
        VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER policies_document_ad AFTER DELETE ON policies_document BEGIN
        INSERT INTO policies_document_fts(policies_document_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    # Only a change of the text re-indexes: status and review dates change often.
    """CREATE TRIGGER policies_document_au AFTER UPDATE OF search_text ON policies_document
        BEGIN
        INSERT INTO policies_document_fts(policies_document_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO policies_document_fts(rowid, search_text)
        VALUES (new.id, new.search_text); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS policies_document_au",
    "DROP TRIGGER IF EXISTS policies_document_ad",
    "DROP TRIGGER IF EXISTS policies_document_ai",
    "DROP TABLE IF EXISTS policies_document_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX policies_document_fts ON policies_document "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS policies_document_fts"]


def _run(schema_editor, sqlite, postgres):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, SQLITE_FORWARD, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, SQLITE_BACKWARD, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
