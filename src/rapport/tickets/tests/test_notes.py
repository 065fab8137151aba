from __future__ import annotations

import pytest

from rapport.core.errors import PermissionDenied
from rapport.directory.queries import scope_for
from rapport.testing import World
from rapport.tickets import actions, queries


def test_internal_note_is_seen_by_the_team_only(world: World) -> None:
    ticket = world.ticket("contact")
    actions.reply(world.agent, ticket, body="We are on it")
    actions.add_note(world.agent, ticket, body="Customer is grumpy")

    def texts(role: str) -> list[str]:
        return [m.body_text for m in queries.thread(scope_for(world.people[role]), ticket)]

    assert texts("agent")[-1] == "Customer is grumpy"
    assert texts("lead")[-1] == "Customer is grumpy"
    assert texts("admin")[-1] == "Customer is grumpy"
    assert "Customer is grumpy" not in texts("contact")
    assert "Customer is grumpy" not in texts("org_admin")
    history = [e.kind for e in queries.history(scope_for(world.contact), ticket)]
    assert "note" not in history and "reply" in history


def test_notes_never_reach_the_vendor(world: World) -> None:
    ticket = world.handoff()
    actions.add_note(world.agent, ticket, body="They were late last time")
    thread = [m.body_text for m in queries.thread(scope_for(world.vendor_user), ticket)]
    assert thread == ["Please send a technician"]
    with pytest.raises(PermissionDenied):
        actions.add_note(world.vendor_user, ticket, body="internal?")


def test_clients_cannot_write_notes(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(PermissionDenied):
        actions.add_note(world.contact, ticket, body="sneaky")
