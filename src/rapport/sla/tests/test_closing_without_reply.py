"""Closing without a reply is not a first response: the response clock stops as not
applicable, attainment leaves it out, and a reopen picks it up where it stopped."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.sla.models import ClockState, TicketClock
from rapport.testing import PASSWORD, World
from rapport.tickets import actions
from rapport.tickets.models import Event, Ticket

BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = 60_000_000


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def first_response(ticket: Ticket) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket, kind="first_response")


def attainment(world: World) -> dict[str, object]:
    body = (
        world.client("admin")
        .get(
            "/api/v1/attainment", {"since": "2026-03-01T00:00:00Z", "until": "2026-04-01T00:00:00Z"}
        )
        .json()
    )
    return dict(body["clocks"]["first_response"])


def test_solving_without_a_reply_sets_the_first_response_aside(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.add_note(world.agent, ticket, body="Duplicate of a known outage; closing.")
        actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))
    fr = first_response(ticket)
    assert fr.state == ClockState.NOT_APPLICABLE and fr.breached_at is None
    assert fr.used_us == 60 * MINUTE
    resolution = TicketClock.objects.get(ticket=ticket, kind="resolution")
    assert resolution.state == ClockState.FULFILLED  # solving does resolve
    assert Event.objects.filter(ticket=ticket, kind="sla_not_applicable").count() == 1
    counts = attainment(world)
    assert counts["achieved"] == 0 and counts["breached"] == 0
    assert counts["not_applicable"] == 1 and counts["attainment"] is None


def test_a_public_reply_is_still_a_first_response(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(world.agent, ticket, body="Fixed.",
                      status=actions.default_status(StatusCategory.SOLVED))  # fmt: skip
    assert first_response(ticket).state == ClockState.FULFILLED
    assert attainment(world)["achieved"] == 1


def test_a_breach_before_closing_stays_a_breach(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    # First response is due at 14:00 (4 business hours); closed at 16:00 with no reply.
    with clock.travel_to(at(2026, 3, 10, 16, 0)):
        actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.CLOSED))
    fr = first_response(ticket)
    assert fr.state == ClockState.NOT_APPLICABLE and fr.breached_at == at(2026, 3, 10, 14, 0)
    counts = attainment(world)
    assert counts["breached"] == 1 and counts["not_applicable"] == 0


def test_a_reopen_resumes_a_first_response_never_given(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))
    with clock.travel_to(at(2026, 3, 11, 9, 0)):
        actions.reopen(world.contact, ticket)
    fr = first_response(ticket)
    assert fr.state == ClockState.RUNNING
    ticket.refresh_from_db()
    # One hour used, three left: due at noon the next day.
    assert ticket.first_response_due_at == at(2026, 3, 11, 12, 0)
    with clock.travel_to(at(2026, 3, 11, 10, 0)):
        actions.reply(world.agent, ticket, body="Looking at it now.")
    fr = first_response(ticket)
    assert fr.state == ClockState.FULFILLED and fr.used_us == 2 * 60 * MINUTE
    assert attainment(world)["achieved"] == 1


def test_a_reopen_leaves_a_given_first_response_alone(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 30)):
        actions.reply(world.agent, ticket, body="On it.")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))
    with clock.travel_to(at(2026, 3, 11, 9, 0)):
        actions.reopen(world.contact, ticket)
    assert first_response(ticket).state == ClockState.FULFILLED
    assert TicketClock.objects.filter(ticket=ticket, kind="first_response").count() == 1


def test_the_clock_panel_says_not_applicable(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))
    agent = Client()
    assert agent.login(username=world.agent.username, password=PASSWORD)
    with clock.travel_to(at(2026, 3, 10, 12, 0)):
        page = agent.get(f"/desk/t/{ticket.pk}/").content.decode()
    panel = page.split('id="sla-panel-title"')[1].split("</section>")[0]
    assert "not applicable" in panel
    history = page.split('id="history"')[1]
    assert "First response not applicable: closed without a reply" in history
