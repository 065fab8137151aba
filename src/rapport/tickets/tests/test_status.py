from __future__ import annotations

import pytest

from rapport.core.choices import Priority
from rapport.core.errors import Conflict, PermissionDenied
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Status


def _status(slug: str) -> Status:
    return Status.objects.get(slug=slug)


def test_solving_and_closing_stamp_times(world: World) -> None:
    ticket = world.ticket("contact")
    actions.set_status(world.agent, ticket, _status("solved"))
    assert ticket.solved_at is not None and ticket.closed_at is None
    actions.set_status(world.agent, ticket, _status("closed"))
    ticket.refresh_from_db()
    assert ticket.closed_at is not None and ticket.status_category == "closed"
    changes = list(ticket.events.filter(kind="status").values_list("old_value", "new_value"))
    assert changes == [("new", "solved"), ("solved", "closed")]


def test_reopen_counts_and_clears_solved(world: World) -> None:
    ticket = world.ticket("contact")
    actions.set_status(world.agent, ticket, _status("solved"))
    actions.reopen(world.contact, ticket)
    ticket.refresh_from_db()
    assert ticket.status.slug == "open"
    assert ticket.reopen_count == 1 and ticket.solved_at is None
    with pytest.raises(Conflict, match="not solved"):
        actions.reopen(world.contact, ticket)


def test_client_may_close_but_not_park_their_request(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(PermissionDenied):
        actions.set_status(world.contact, ticket, _status("on-hold"))
    actions.set_status(world.contact, ticket, _status("solved"))
    assert ticket.status_category == "solved"


def test_closed_is_final_for_clients(world: World) -> None:
    ticket = world.ticket("contact")
    actions.set_status(world.agent, ticket, _status("closed"))
    with pytest.raises(PermissionDenied):
        actions.reopen(world.contact, ticket)
    with pytest.raises(Conflict):
        actions.set_status(world.agent, ticket, _status("open"))
    actions.reopen(world.agent, ticket)
    assert ticket.status_category == "open"


def test_priority_is_the_providers_call(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(PermissionDenied):
        actions.set_priority(world.contact, ticket, Priority.URGENT)
    actions.set_priority(world.agent, ticket, Priority.URGENT)
    event = ticket.events.get(kind="priority")
    assert (event.old_value, event.new_value) == ("normal", "urgent")
