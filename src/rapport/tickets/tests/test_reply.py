from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, NotFound
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Status


def _status(slug: str) -> Status:
    return Status.objects.get(slug=slug)


def test_first_provider_reply_sets_first_response(world: World) -> None:
    ticket = world.ticket("contact")
    actions.reply(world.contact, ticket, body="Any news?")
    ticket.refresh_from_db()
    assert ticket.first_response_at is None

    message = actions.reply(world.agent, ticket, body="Looking into it")
    ticket.refresh_from_db()
    assert message.author_side == "provider"
    assert ticket.first_response_at == message.created_at
    assert ticket.message_count == 3

    actions.reply(world.agent, ticket, body="Still looking")
    ticket.refresh_from_db()
    assert ticket.first_response_at == message.created_at


def test_client_reply_brings_pending_ticket_back_to_open(world: World) -> None:
    ticket = world.ticket("contact")
    actions.reply(world.agent, ticket, body="Which floor?", status=_status("pending"))
    ticket.refresh_from_db()
    assert ticket.status_category == "pending_client"

    actions.reply(world.contact, ticket, body="Floor 2")
    ticket.refresh_from_db()
    assert ticket.status.slug == "open"
    assert ticket.reopen_count == 0


def test_client_reply_reopens_a_solved_ticket(world: World) -> None:
    ticket = world.ticket("contact")
    actions.reply(world.agent, ticket, body="Fixed", status=_status("solved"))
    actions.reply(world.contact, ticket, body="It is on fire again")
    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.reopen_count == 1
    assert ticket.solved_at is None
    kinds = list(ticket.events.exclude(kind__startswith="sla_").values_list("kind", flat=True))
    assert kinds[-2:] == ["status", "reopened"]


def test_closed_ticket_takes_no_more_replies(world: World) -> None:
    ticket = world.ticket("contact")
    actions.set_status(world.agent, ticket, _status("closed"))
    with pytest.raises(Conflict, match="closed"):
        actions.reply(world.contact, ticket, body="Hello?")


def test_vendor_user_replies_as_provider_on_their_ticket(world: World) -> None:
    ticket = world.handoff()
    message = actions.reply(world.vendor_user, ticket, body="Technician booked")
    assert message.author_side == "provider"


def test_strangers_cannot_reply(world: World) -> None:
    ticket = world.ticket("contact")
    for stranger in (world.other_contact, world.vendor_user, world.other_agent):
        with pytest.raises(NotFound):
            actions.reply(stranger, ticket, body="Hi")
