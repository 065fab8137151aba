"""Health of the database and the background worker, for /healthz."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, connection

from rapport.core import clock
from rapport.core.models import Heartbeat

WORKER_STALE_AFTER = timedelta(minutes=3)

# Checks apps add at start-up (e.g. tickets: the reaction lag), so core names no app.
# Each returns a JSON-able report; a "status" other than "ok" degrades /healthz.
_checks: dict[str, Callable[[], dict[str, Any]]] = {}


def register(name: str, check: Callable[[], dict[str, Any]]) -> None:
    """Add a section `name` to /healthz, filled by `check()` on each request."""
    _checks[name] = check


def check() -> tuple[bool, dict[str, Any]]:
    """(healthy, report). Unhealthy only when the database is unreachable;
    a silent worker is reported as degraded, since the web still serves."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError as exc:
        return False, {"status": "error", "database": f"error: {exc.__class__.__name__}"}
    seen = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
    if seen is None:
        worker: dict[str, Any] = {"status": "unknown", "last_seen": None}
    else:
        fresh = clock.now() - seen <= WORKER_STALE_AFTER
        worker = {"status": "ok" if fresh else "stale", "last_seen": seen.isoformat()}
    status = "ok" if worker["status"] == "ok" else "degraded"
    report: dict[str, Any] = {
        "status": status,
        "database": database,
        "database_engine": connection.vendor,
        "worker": worker,
    }
    for name, extra in _checks.items():
        try:
            section = extra()
        except DatabaseError as exc:
            section = {"status": f"error: {exc.__class__.__name__}"}
        if section.get("status", "ok") != "ok":
            report["status"] = "degraded"
        report[name] = section
    return True, report
