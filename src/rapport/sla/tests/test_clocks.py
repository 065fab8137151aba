"""A ticket's clocks as people use it: apply, respond, pause, resume, re-arm, reopen, breach."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.agreements import actions as agreement_actions
from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.sla.models import ClockState, TicketClock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event, Ticket

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def urgent(world: World) -> Ticket:
    """An urgent request of the Globex contact, raised for them by an agent."""
    return actions.create_ticket(
        world.agent, requester=world.contact, subject="Checkout down", body="All payments fail",
        provider=world.support.party, priority=Priority.URGENT,
    )  # fmt: skip


def clocks(ticket: Ticket) -> dict[str, TicketClock]:
    return {f"{c.kind}/{c.cycle}": c for c in TicketClock.objects.filter(ticket=ticket)}


def sla_events(ticket: Ticket) -> list[tuple[str, str]]:
    return [
        (e.kind, f"{e.data['clock']}/{e.data['cycle']}")
        for e in Event.objects.filter(ticket=ticket, kind__startswith="sla_").order_by("id")
    ]


def status(category: str) -> object:
    return actions.default_status(category)


@pytest.fixture
def with_next_response(world: World) -> World:
    agreement_actions.update_agreement(
        None, world.sla,
        targets=[
            {"priority": "urgent", "first_response_minutes": 30, "next_response_minutes": 30,
             "resolution_minutes": 240},
            {"priority": "normal", "first_response_minutes": 240, "next_response_minutes": 60,
             "resolution_minutes": 2400},
        ],
    )  # fmt: skip
    return world


def test_a_new_ticket_gets_its_clocks_and_due_columns(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):  # a Tuesday
        ticket = world.ticket("contact")
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 10, 14, 0)
    assert ticket.resolution_due_at == at(2026, 3, 17, 10, 0)  # 40 business hours on
    assert ticket.sla_due_at == ticket.first_response_due_at
    assert ticket.next_response_due_at is None
    assert sla_events(ticket) == [
        ("sla_applied", "first_response/1"), ("sla_applied", "resolution/1"),
    ]  # fmt: skip


def test_the_providers_first_public_reply_stops_first_response(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 30)):
        actions.add_note(world.agent, ticket, body="Looking")  # a note is no response
    assert clocks(ticket)["first_response/1"].state == ClockState.RUNNING
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(world.agent, ticket, body="We are on it")
    fr = clocks(ticket)["first_response/1"]
    assert fr.state == ClockState.FULFILLED
    assert fr.used_us == 60 * 60_000_000
    assert fr.breached_at is None
    ticket.refresh_from_db()
    assert ticket.first_response_due_at is None
    assert ticket.sla_due_at == ticket.resolution_due_at == at(2026, 3, 17, 10, 0)


def test_a_late_first_response_is_breached_and_fulfilled(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 16, 50)):
        ticket = urgent(world)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 11, 9, 20)  # 10 min today, 20 tomorrow
    with clock.travel_to(at(2026, 3, 11, 9, 25)):
        actions.reply(world.agent, ticket, body="Sorry for the wait")
    fr = clocks(ticket)["first_response/1"]
    assert fr.breached_at == at(2026, 3, 11, 9, 20)
    assert ("sla_breached", "first_response/1") in sla_events(ticket)
    fulfilled = Event.objects.get(ticket=ticket, kind="sla_fulfilled")
    assert fulfilled.data["breached"] is True
    assert fulfilled.data["used_minutes"] == 35


def test_pending_client_pauses_over_a_weekend(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(world.agent, ticket, body="Which printer?")
    with clock.travel_to(at(2026, 3, 13, 16, 0)):  # Friday
        actions.set_status(world.agent, ticket, status(StatusCategory.PENDING_CLIENT))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None and ticket.sla_due_at is None
    res = clocks(ticket)["resolution/1"]
    assert res.state == ClockState.PAUSED
    assert res.used_us == 30 * 60 * 60_000_000  # Tue 7 h, Wed 8, Thu 8, Fri 7
    with clock.travel_to(at(2026, 3, 16, 10, 0)):  # Monday: the client answers
        actions.reply(world.contact, ticket, body="The one on floor 2")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN
    # 10 h were left: Monday 10-17 and Tuesday 9-12, two hours later than unpaused.
    assert ticket.resolution_due_at == at(2026, 3, 17, 12, 0)
    kinds = [k for k, c in sla_events(ticket) if c == "resolution/1"]
    assert kinds == ["sla_applied", "sla_paused", "sla_resumed"]


def test_on_hold_pauses_only_when_the_agreement_says_so(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
        actions.set_status(world.agent, ticket, status(StatusCategory.ON_HOLD))
    assert clocks(ticket)["resolution/1"].state == ClockState.RUNNING
    agreement_actions.update_agreement(
        None, world.sla, pauses={"resolution": ["pending_client", "on_hold"]}
    )
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_status(world.agent, ticket, status(StatusCategory.OPEN))
        actions.set_status(world.agent, ticket, status(StatusCategory.ON_HOLD))
    assert clocks(ticket)["resolution/1"].state == ClockState.PAUSED
    assert clocks(ticket)["first_response/1"].state == ClockState.RUNNING


def test_next_response_is_re_armed_when_the_client_writes_after_the_provider(
    with_next_response: World,
) -> None:
    w = with_next_response
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = w.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 5)):
        actions.reply(w.contact, ticket, body="Also the scanner")  # before any answer
    assert set(clocks(ticket)) == {"first_response/1", "resolution/1"}
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(w.agent, ticket, body="Looking at both")
    with clock.travel_to(at(2026, 3, 10, 16, 30)):
        actions.reply(w.contact, ticket, body="Any news?")
    ticket.refresh_from_db()
    assert ticket.next_response_due_at == at(2026, 3, 11, 9, 30)  # 60 business minutes
    with clock.travel_to(at(2026, 3, 10, 16, 45)):
        actions.reply(w.contact, ticket, body="Hello?")  # still owed the same reply
    assert clocks(ticket)["next_response/1"].started_at == at(2026, 3, 10, 16, 30)
    assert "next_response/2" not in clocks(ticket)
    with clock.travel_to(at(2026, 3, 11, 9, 10)):
        actions.reply(w.agent, ticket, body="Technician tomorrow")
    assert clocks(ticket)["next_response/1"].state == ClockState.FULFILLED
    with clock.travel_to(at(2026, 3, 11, 10, 0)):
        actions.reply(w.contact, ticket, body="Thanks, what time?")
    assert clocks(ticket)["next_response/2"].state == ClockState.RUNNING
    ticket.refresh_from_db()
    assert ticket.next_response_due_at == at(2026, 3, 11, 11, 0)


def test_a_client_follow_up_before_the_first_response_leaves_the_clocks_alone(
    with_next_response: World,
) -> None:
    w = with_next_response
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = w.ticket("contact")
    before = clocks(ticket)
    with clock.travel_to(at(2026, 3, 10, 10, 5)), CaptureQueriesContext(connection) as queries:
        actions.reply(w.contact, ticket, body="Also the scanner")
    # The first response is what is owed: nothing to read or write about clocks (mail
    # follow-ups are mostly this).
    assert not [q for q in queries if "sla_ticketclock" in q["sql"]]
    assert clocks(ticket) == before
    assert [(c.state, c.due_at) for c in clocks(ticket).values()] == [
        (c.state, c.due_at) for c in before.values()
    ]
    assert len(sla_events(ticket)) == 2  # the two applied at creation
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(w.agent, ticket, body="Looking")
    with clock.travel_to(at(2026, 3, 10, 11, 5)):
        actions.reply(w.contact, ticket, body="Thanks")
    assert clocks(ticket)["next_response/1"].state == ClockState.RUNNING


def test_solving_fulfils_and_reopening_runs_resolution_on(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 12, 0)):
        actions.reply(world.agent, ticket, body="Fixed", status=status(StatusCategory.SOLVED))
    res = clocks(ticket)["resolution/1"]
    assert res.state == ClockState.FULFILLED and res.used_us == 2 * 60 * 60_000_000
    ticket.refresh_from_db()
    assert ticket.sla_due_at is None
    with clock.travel_to(at(2026, 3, 12, 9, 0)):
        actions.reopen(world.contact, ticket)
    res = clocks(ticket)["resolution/1"]
    assert res.state == ClockState.RUNNING
    ticket.refresh_from_db()
    # 38 business hours were left: Thursday 8, Friday 8, Mon-Wed 24 would be 40.
    assert ticket.resolution_due_at == at(2026, 3, 18, 15, 0)
    kinds = [k for k, c in sla_events(ticket) if c == "resolution/1"]
    assert kinds == ["sla_applied", "sla_fulfilled", "sla_resumed"]


def test_a_client_reply_to_a_solved_ticket_reopens_its_resolution(
    with_next_response: World,
) -> None:
    w = with_next_response
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = w.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.reply(w.agent, ticket, body="Done", status=status(StatusCategory.SOLVED))
    with clock.travel_to(at(2026, 3, 10, 15, 0)):
        actions.reply(w.contact, ticket, body="Still broken")
    current = clocks(ticket)
    assert current["resolution/1"].state == ClockState.RUNNING
    assert current["next_response/1"].state == ClockState.RUNNING
    ticket.refresh_from_db()
    assert ticket.next_response_due_at == at(2026, 3, 10, 16, 0)


def test_raising_the_priority_recomputes_due_times_from_the_log(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 20)):
        actions.set_priority(world.agent, ticket, Priority.URGENT)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 10, 10, 30)
    assert ticket.resolution_due_at == at(2026, 3, 10, 14, 0)
    assert ("sla_updated", "resolution/1") in sla_events(ticket)
    with clock.travel_to(at(2026, 3, 10, 10, 25)):
        actions.set_priority(world.agent, ticket, Priority.NORMAL)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 10, 14, 0)


def test_lowering_the_priority_after_a_pause_keeps_the_paused_time_out(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = urgent(world)
        actions.reply(world.agent, ticket, body="?", status=status(StatusCategory.PENDING_CLIENT))
    with clock.travel_to(at(2026, 3, 10, 13, 0)):
        actions.reply(world.contact, ticket, body="!")
    with clock.travel_to(at(2026, 3, 10, 14, 0)):
        actions.set_priority(world.agent, ticket, Priority.NORMAL)
    ticket.refresh_from_db()
    # One business hour used (13-14); 39 left from Tuesday 14:00.
    assert ticket.resolution_due_at == at(2026, 3, 17, 13, 0)


def test_merging_cancels_the_clocks_of_the_merged_ticket(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        source = world.ticket("contact")
        target = world.ticket("contact")
        actions.merge(world.agent, source, target)
    assert {c.state for c in clocks(source).values()} == {ClockState.CANCELLED}
    assert {c.state for c in clocks(target).values()} == {ClockState.RUNNING}
    source.refresh_from_db()
    assert source.sla_due_at is None


def test_tickets_without_an_agreement_have_no_clocks(world: World) -> None:
    ticket = actions.create_ticket(
        world.agent, subject="Internal", body="x", provider=world.support.party,
        requester=world.agent, client=world.it.party,
    )  # fmt: skip
    actions.reply(world.agent, ticket, body="ok", status=status(StatusCategory.SOLVED))
    assert ticket.agreement_id is None
    assert not TicketClock.objects.filter(ticket=ticket).exists()


def test_a_ticket_opened_before_the_spring_change_is_due_in_summer_time(world: World) -> None:
    with clock.travel_to(at(2026, 3, 27, 16, 30)):  # Friday before the clocks go forward
        ticket = urgent(world)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 27, 17, 0)
    assert ticket.resolution_due_at == at(2026, 3, 30, 12, 30)
    assert ticket.resolution_due_at - ticket.created_at == timedelta(days=2, hours=19)
