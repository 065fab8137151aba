from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.testing import World
from rapport.tickets import actions


def test_assign_to_a_team_member_and_back(world: World) -> None:
    ticket = world.ticket("contact")
    actions.assign(world.lead, ticket, world.agent)
    ticket.refresh_from_db()
    assert ticket.assignee == world.agent
    actions.assign(world.agent, ticket, None)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    events = list(ticket.events.filter(kind="assigned").values_list("old_value", "new_value"))
    assert events == [("", "Agent"), ("Agent", "")]


def test_cannot_assign_outside_the_providing_team(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(Invalid, match="does not work for"):
        actions.assign(world.agent, ticket, world.other_agent)
    with pytest.raises(Invalid):
        actions.assign(world.agent, ticket, world.contact)


def test_clients_and_other_teams_cannot_assign(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(PermissionDenied):
        actions.assign(world.contact, ticket, world.agent)
    with pytest.raises(NotFound):
        actions.assign(world.other_agent, ticket, world.agent)


def test_assigning_the_same_person_twice_logs_once(world: World) -> None:
    ticket = world.ticket("contact")
    actions.assign(world.agent, ticket, world.agent)
    actions.assign(world.agent, ticket, world.agent)
    assert ticket.events.filter(kind="assigned").count() == 1
