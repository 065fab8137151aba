"""Actions are the only writers: no module outside `actions.py` / `actions/` writes to
the database, except the few named below with the reason each is excused.

Exempt without listing: migrations, tests and test helpers, and `core/fast/` (the fast
paths, which write through their own checked seam). bench/ lies outside src/. How a
write is recognised, and what is deliberately not counted, is in tests/writes_scan.py.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from writes_scan import SRC, scan, writes_in

# path (under src/rapport) -> why it may write outside actions.
ALLOWED: dict[str, str] = {
    # The SLA sweeper claims due clocks with conditional UPDATEs (SKIP LOCKED on
    # PostgreSQL) so several workers never fire one twice; the claim is the sweeper's job
    # and stays in this one module by design (DESIGN.md, "Timers are data").
    "sla/sweeper.py": "the sweeper's claim statements",
    # The event log has one writer by design (DESIGN.md, "tickets"): every action
    # appends through it, and the sweeper's pre-encoded rows go in as plain statements.
    "tickets/events.py": "the event log's one writer",
    # The reaction engine claims each subscriber's cursor and records failed and held
    # reactions in the transaction of the pass, as the sweeper claims its clocks.
    "tickets/reactor.py": "the reaction engine's cursor claims and pending reactions",
    # One read-only statement whose SQL is assembled per request (`_sql`), so the
    # checker cannot see that it starts with SELECT.
    "chain/analytics.py": "a raw read built per request, no write",
    # Sign-in throttling counts failures where every web process sees them; it is
    # called by the authentication form before anyone is signed in, so there is no
    # actor for an action to check, and its single conditional UPDATE is the point.
    "core/throttle.py": "sign-in failure counters shared by every process",
}


def test_no_writes_outside_actions() -> None:
    stray = [str(w) for w in scan() if w.path not in ALLOWED]
    assert not stray, (
        "Database writes outside actions (move them into the app's actions, or name the "
        "module in ALLOWED with the reason):\n" + "\n".join(stray)
    )


def test_every_allowed_module_still_writes() -> None:
    """An entry whose module no longer writes (or no longer exists) is removed, so the
    list stays the true list of exceptions."""
    writes = defaultdict(list)
    for w in scan():
        writes[w.path].append(w)
    stale = sorted(path for path in ALLOWED if not writes[path])
    assert not stale, f"No writes left in {stale}: remove them from ALLOWED."


def test_checker_sees_model_and_queryset_writes() -> None:
    source = """
def f(ticket, qs, Ticket, cursor, connection, fields):
    ticket.save()
    ticket.save(update_fields=["status"])
    qs.update(status="x")
    qs.filter(a=1).update(**fields)
    qs.delete()
    Ticket.objects.create(subject="s")
    ticket.tags.create(name="t")
    Ticket.objects.bulk_create([])
    Ticket.objects.bulk_update([], ["a"])
    Ticket.objects.get_or_create(a=1)
    Ticket.objects.update_or_create(a=1)
    cursor.execute("UPDATE t SET a = 1")
    connection.cursor().execute("DELETE FROM t")
"""
    assert len(writes_in(source, "x.py")) == 13


def test_checker_ignores_ordinary_python_of_the_same_names() -> None:
    source = """
SQL = "SELECT 1"

def f(d, s, cache, storage, image, buf, cursor, parts, params):
    d.update(other)
    d.update({"a": 1})
    s.update([1, 2])
    cache.delete("key")
    storage.save("name", buf)
    image.save(buf, format="PNG")
    cursor.execute("SELECT 1")
    cursor.execute(f"SELECT count(*) FROM ({parts})", params)
    cursor.execute("SELECT " + ", ".join(parts), params)
    cursor.execute(SQL)
    cursor.execute("PRAGMA synchronous=FULL")
    d.execute("UPDATE t SET a = 1")
"""
    assert writes_in(source, "x.py") == []


def test_writes_in_actions_migrations_tests_and_fast_paths_are_not_scanned(tmp_path: Path) -> None:
    for path in (
        "tickets/actions.py",
        "tickets/actions/create.py",
        "tickets/migrations/0001_initial.py",
        "tickets/tests/test_create.py",
        "core/fast/rows.py",
        "testing.py",
    ):
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("def f(t):\n    t.save()\n")
    (tmp_path / "tickets" / "views.py").write_text("def f(t):\n    t.save()\n")
    assert [w.path for w in scan(tmp_path)] == ["tickets/views.py"]


def test_source_root_is_the_package() -> None:
    assert (SRC / "core" / "models.py").exists()
