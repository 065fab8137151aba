"""Bulk changes go through the actions ticket by ticket; refusals are reported one by one."""

from __future__ import annotations

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets.models import Ticket


def _bulk(world: World, role: str, data: dict[str, object]) -> str:
    browser = signed_in(world, role)
    response = browser.post("/desk/bulk", {"queue": "team", "query": "sort=number", **data})
    assert response.status_code == 302
    assert response["Location"] == "/desk/q/team/?sort=number"
    return browser.get(response["Location"]).content.decode()


def test_bulk_assign_status_priority_tag(world: World) -> None:
    a, b = world.ticket("contact"), world.ticket("colleague")
    numbers = [a.pk, b.pk]
    page = _bulk(world, "agent", {"tickets": numbers, "action": "assign",
                                  "value_assign": world.lead.pk})  # fmt: skip
    assert f"Done (assign to) for 2: #{a.pk}, #{b.pk}." in page
    _bulk(world, "agent", {"tickets": numbers, "action": "status", "value_status": "on-hold"})
    _bulk(world, "agent", {"tickets": numbers, "action": "priority", "value_priority": "4"})
    _bulk(world, "agent", {"tickets": numbers, "action": "tag", "value_tag": "outage"})
    for ticket in Ticket.objects.filter(pk__in=numbers):
        assert ticket.assignee == world.lead
        assert ticket.status.slug == "on-hold" and ticket.priority == 4
        assert [t.name for t in ticket.tags.all()] == ["outage"]


def test_partial_failures_are_reported_and_the_rest_is_done(world: World) -> None:
    ours = world.ticket("contact")
    it_ticket = world.ticket("employee", provider=world.it.party)  # not visible to the agent
    handed = world.handoff()  # visible, but PrintCo provides it: we cannot assign it
    numbers = [ours.pk, it_ticket.pk, handed.pk, 999_999]
    page = _bulk(world, "agent", {"tickets": numbers, "action": "assign",
                                  "value_assign": world.agent.pk})  # fmt: skip
    assert f"Done (assign to) for 1: #{ours.pk}." in page
    hidden = f"#{it_ticket.pk} was not changed: There is no ticket #{it_ticket.pk} you can see."
    assert hidden in page
    assert f"#{handed.pk} was not changed: Only the provider" in page
    assert "#999999 was not changed" in page
    assert Ticket.objects.get(pk=ours.pk).assignee == world.agent
    assert Ticket.objects.get(pk=it_ticket.pk).assignee is None


def test_bad_bulk_input_is_explained(world: World) -> None:
    ticket = world.ticket("contact")
    cases = [
        ({"action": "assign"}, "Select at least one ticket."),
        ({"tickets": ["abc"], "action": "assign"}, "Tickets:"),
        ({"tickets": [ticket.pk], "action": "explode"}, "Value:"),
        ({"tickets": [ticket.pk], "action": "status"}, "Choose a value to apply."),
        ({"tickets": [ticket.pk], "action": "status", "value_status": "nope"}, "no status"),
        ({"tickets": [ticket.pk], "action": "priority", "value_priority": "x"}, "a priority"),
        ({"tickets": [ticket.pk], "action": "tag", "value_tag": "no spaces!"}, "is not a tag"),
        ({"tickets": [ticket.pk], "action": "assign", "value_assign": "x"}, "Choose someone"),
        ({"tickets": [str(2**64)], "action": "assign"}, "out of range"),
        ({"tickets": list(range(1, 202)), "action": "assign"}, "at most 200"),
    ]
    for data, expected in cases:
        assert expected in _bulk(world, "agent", data), data
