"""Time-based automations: time conditions, the nullifying condition, the dry run."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rapport.automation import queries
from rapport.automation.actions import rules
from rapport.automation.models import Firing, Rule
from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.core.errors import Invalid
from rapport.testing import World
from rapport.tickets import actions as tickets
from rapport.tickets.models import Event, Ticket

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=BERLIN)


def c(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def automation(world: World, all_: list[dict[str, Any]], actions: list[dict[str, Any]],
               name: str = "A") -> Rule:  # fmt: skip
    return rules.create_rule(world.admin, "automation", {
        "name": name, "conditions": {"all": all_}, "actions": actions})  # fmt: skip


def status(category: str) -> Any:
    return tickets.default_status(category)


def test_an_automation_needs_a_nullifying_condition(world: World) -> None:
    with pytest.raises(Invalid) as bad:
        automation(world, [c("hours_since_solved", "gte", 168)],
                   [{"type": "add_tags", "value": ["old"]}])  # fmt: skip
    assert bad.value.field == "conditions"
    # Closing makes "status is solved" false: accepted.
    automation(world, [c("status", "is", "solved"), c("hours_since_solved", "gte", 168)],
               [{"type": "status", "value": "closed"}])  # fmt: skip
    # Tagging makes "tags excludes reminded" false: accepted.
    automation(world, [c("tags", "excludes", "reminded"), c("priority", "is", "low")],
               [{"type": "add_tags", "value": ["reminded"]}])  # fmt: skip


def test_close_solved_after_seven_days_and_the_dry_run_equals_the_first_run(
    world: World,
) -> None:
    with clock.travel_to(MONDAY):
        old = [world.ticket("contact") for _ in range(3)]
        for t in old:
            tickets.set_status(world.agent, t, status(StatusCategory.SOLVED))
    with clock.travel_to(MONDAY + timedelta(days=6)):
        recent = world.ticket("contact")
        tickets.set_status(world.agent, recent, status(StatusCategory.SOLVED))
        world.ticket("contact")  # open
    rule = automation(world, [c("status", "is", "solved"), c("hours_since_solved", "gte", 168)],
                      [{"type": "status", "value": "closed"}], name="Close solved")  # fmt: skip
    now = MONDAY + timedelta(days=7, hours=1)
    preview = queries.matching(rule.conditions, now)
    assert sorted(t.pk for t in preview) == sorted(t.pk for t in old)
    with clock.travel_to(now):
        acted = rules.sweep(now)
    assert acted == {"Close solved": len(preview)}
    assert set(Ticket.objects.filter(status_category="closed").values_list("pk", flat=True)) == {
        t.pk for t in old
    }
    assert Firing.objects.filter(rule=rule, applied=True).count() == len(preview)
    event = Event.objects.filter(ticket=old[0], kind="automation").get()
    assert event.new_value == "automation Close solved set status Closed"
    # The next sweep is not due yet; when it is, the closed tickets no longer match.
    assert rules.sweep(now + timedelta(minutes=1)) == {}
    later = now + timedelta(hours=1)
    assert rules.sweep(later) == {"Close solved": 0}


def test_pending_for_business_hours(world: World) -> None:
    with clock.travel_to(MONDAY):
        waiting = world.ticket("contact")
        tickets.set_status(world.agent, waiting, status(StatusCategory.PENDING_CLIENT))
    rule = automation(world, [c("status", "is", "pending_client"),
                              c("hours_since_pending", "gte", 24),
                              c("tags", "excludes", "reminded")],
                      [{"type": "add_tags", "value": ["reminded"]},
                       {"type": "note", "value": "Reminded the client"}])  # fmt: skip
    # Business hours are 9–17: Wednesday 17:00 is 24 business hours after Monday 9:00,
    # Wednesday 16:00 only 23 (and 55 wall-clock hours).
    assert queries.matching(rule.conditions, MONDAY + timedelta(days=2, hours=8)) == [waiting]
    assert queries.matching(rule.conditions, MONDAY + timedelta(days=2, hours=7)) == []


def test_minutes_to_breach_escalates_urgent(world: World) -> None:
    with clock.travel_to(MONDAY):
        urgent = world.ticket("contact")
        tickets.set_priority(world.agent, urgent, Priority.URGENT)  # 30-minute first response
        normal = world.ticket("contact")
    rule = automation(world, [c("priority", "is", "urgent"), c("minutes_to_breach", "lte", 10),
                              c("tags", "excludes", "escalated")],
                      [{"type": "add_tags", "value": ["escalated"]},
                       {"type": "assignee", "value": world.lead.pk}])  # fmt: skip
    assert queries.matching(rule.conditions, MONDAY + timedelta(minutes=15)) == []
    now = MONDAY + timedelta(minutes=22)
    with clock.travel_to(now):
        assert rules.sweep(now) == {rule.name: 1}
    assert Ticket.objects.get(pk=urgent.pk).assignee_id == world.lead.pk
    assert Ticket.objects.get(pk=normal.pk).assignee_id is None


def test_dry_run_lists_at_most_fifty_but_counts_all(world: World) -> None:
    for _ in range(3):
        world.ticket("contact")
    rule = automation(world, [c("status", "is", "open"), c("tags", "excludes", "seen")],
                      [{"type": "add_tags", "value": ["seen"]}])  # fmt: skip
    now = clock.now()
    found = queries.matching(rule.conditions, now, batch=2)  # batches join up
    assert len(found) == 3
    with clock.travel_to(now):
        assert rules.sweep(now) == {rule.name: 3}
