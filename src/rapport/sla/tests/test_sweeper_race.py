"""Two workers sweeping at once, each with its own database connection: every
breach and warning is recorded exactly once."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from rapport.core import clock
from rapport.core.choices import Priority
from rapport.sla.sweeper import SweepResult, sweep
from rapport.testing import build_world
from rapport.tickets import actions
from rapport.tickets.models import Event

BERLIN = ZoneInfo("Europe/Berlin")
TICKETS = 60


# serialized_rollback: the flush after a transactional test would otherwise take the
# statuses the migrations created away from every test that runs after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_record_each_breach_once() -> None:
    world = build_world()
    with clock.travel_to(datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)):
        for i in range(TICKETS):
            actions.create_ticket(
                world.agent, requester=world.contact, subject=f"Down {i}", body="Help",
                provider=world.support.party, priority=Priority.URGENT,
            )  # fmt: skip
    # Past the first responses' breach (10:30) and the resolutions' 50 % (12:00).
    now = datetime(2026, 3, 10, 12, 5, tzinfo=BERLIN)
    start = threading.Barrier(2)
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=30)
            results.append(sweep(now, batch=7))  # small batches: the two interleave
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results) == 2
    assert sum(r.breaches for r in results) == TICKETS
    assert sum(r.warnings for r in results) == TICKETS
    for kind in ("sla_breached", "sla_warning"):
        per_ticket = Event.objects.filter(kind=kind).values_list("ticket_id", flat=True)
        assert sorted(per_ticket) == sorted(set(per_ticket)), kind
        assert len(per_ticket) == TICKETS, kind
