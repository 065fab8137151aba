"""Two workers sweeping automations at once, each with its own connection: every
ticket is acted on once by each rule (run it on PostgreSQL, where they truly race)."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from rapport.automation.actions import rules
from rapport.automation.models import Firing
from rapport.core import clock
from rapport.testing import build_world
from rapport.tickets.models import Event

BERLIN = ZoneInfo("Europe/Berlin")
TICKETS = 30
RULES = 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_act_once_per_ticket() -> None:
    world = build_world()
    now = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)
    with clock.travel_to(now):
        for i in range(TICKETS):
            world.ticket("contact", subject=f"Down {i}")
        for n in range(RULES):
            rules.create_rule(world.admin, "automation", {
                "name": f"Tag {n}",
                "conditions": {"all": [{"field": "status", "op": "is", "value": "open"},
                                       {"field": "tags", "op": "excludes", "value": f"r{n}"}]},
                "actions": [{"type": "add_tags", "value": [f"r{n}"]}],
            })  # fmt: skip
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=30)
            with clock.travel_to(now):
                results.append(rules.sweep(now))
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors
    assert sum(sum(r.values()) for r in results) == TICKETS * RULES
    assert Firing.objects.count() == TICKETS * RULES
    per_rule_ticket = list(Firing.objects.values_list("rule_id", "ticket_id"))
    assert len(per_rule_ticket) == len(set(per_rule_ticket))
    assert Event.objects.filter(kind="tagged").count() == TICKETS * RULES
