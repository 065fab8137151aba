"""Default statuses, and the full-text index of each database engine."""

from django.db import migrations

STATUSES = [
    ("new", "New", "open", 10, False),
    ("open", "Open", "open", 20, True),
    ("pending", "Pending client", "pending_client", 30, True),
    ("on-hold", "On hold", "on_hold", 40, True),
    ("solved", "Solved", "solved", 50, True),
    ("closed", "Closed", "closed", 60, True),
]

SQLITE_FORWARD = [
    # External-content FTS5 over tickets_searchdocument; triggers keep it in step
    # with every insert, update and delete of a document.
    """CREATE VIRTUAL TABLE tickets_search_fts USING fts5(
        body, content='tickets_searchdocument', content_rowid='ticket_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER tickets_search_ai AFTER INSERT ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(rowid, body) VALUES (new.ticket_id, new.body); END""",
    """CREATE TRIGGER tickets_search_ad AFTER DELETE ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, body)
        VALUES ('delete', old.ticket_id, old.body); END""",
    """CREATE TRIGGER tickets_search_au AFTER UPDATE ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, body)
        VALUES ('delete', old.ticket_id, old.body);
        INSERT INTO tickets_search_fts(rowid, body) VALUES (new.ticket_id, new.body); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_search_au",
    "DROP TRIGGER IF EXISTS tickets_search_ad",
    "DROP TRIGGER IF EXISTS tickets_search_ai",
    "DROP TABLE IF EXISTS tickets_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX tickets_searchdocument_fts ON tickets_searchdocument "
    "USING gin (to_tsvector('simple'::regconfig, body))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS tickets_searchdocument_fts"]


def create_statuses(apps, schema_editor):
    Status = apps.get_model("tickets", "Status")
    for slug, name, category, position, is_default in STATUSES:
        Status.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "category": category,
                "position": position,
                "is_default": is_default,
            },
        )


def _run(schema_editor, sqlite, postgres):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
        schema_editor.execute(sql)


def search_forward(apps, schema_editor):
    _run(schema_editor, SQLITE_FORWARD, POSTGRES_FORWARD)


def search_backward(apps, schema_editor):
    _run(schema_editor, SQLITE_BACKWARD, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.RunPython(create_statuses, migrations.RunPython.noop),
        migrations.RunPython(search_forward, search_backward),
    ]
