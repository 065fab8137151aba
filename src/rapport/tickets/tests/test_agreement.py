"""Putting a ticket under another agreement (or none): the clocks follow; bad choices refused."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from rapport.agreements import actions as agreement_actions
from rapport.core import clock
from rapport.core.errors import Invalid, PermissionDenied
from rapport.sla.models import ClockState, TicketClock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event, Ticket

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def premium(world: World, **kw: object) -> object:
    """A tighter Globex agreement: normal priority answered in an hour, solved in a day."""
    return agreement_actions.create_agreement(
        None, name="Globex premium", kind="sla", provider=world.support.party,
        client=world.customer.party, calendar=world.calendar,
        active_from=kw.pop("active_from", date(2020, 1, 1)),  # type: ignore[arg-type]
        targets=[{"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 480}],
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def states(ticket: Ticket) -> dict[str, str]:
    return {f"{c.kind}/{c.cycle}": c.state for c in TicketClock.objects.filter(ticket=ticket)}


def test_a_tighter_agreement_recomputes_the_due_times_from_the_log(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):  # a Tuesday; Berlin office 9-17
        ticket = world.ticket("contact")
    better = premium(world)  # after the ticket: new tickets would fall under it
    with clock.travel_to(at(2026, 3, 10, 10, 20)):
        actions.set_agreement(world.agent, ticket, better)  # type: ignore[arg-type]
    ticket.refresh_from_db()
    # The 20 minutes already used count: answered by 11:00, solved 8 business hours on.
    assert ticket.first_response_due_at == at(2026, 3, 10, 11, 0)
    assert ticket.resolution_due_at == at(2026, 3, 11, 10, 0)
    change = Event.objects.filter(ticket=ticket, kind="agreement").order_by("id").last()
    assert change is not None
    assert (change.old_value, change.new_value) == ("Globex support", "Globex premium")
    assert change.actor_id == world.agent.pk


def test_no_agreement_stops_the_clocks_and_a_new_one_starts_them_then(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_agreement(world.agent, ticket, None)
    ticket.refresh_from_db()
    assert ticket.agreement_id is None
    assert ticket.sla_due_at is None
    assert set(states(ticket).values()) == {ClockState.CANCELLED}
    with clock.travel_to(at(2026, 3, 10, 15, 0)):
        actions.set_agreement(world.agent, ticket, world.sla)
    ticket.refresh_from_db()
    # The hours without an agreement are not counted: 4 business hours from 15:00.
    assert ticket.first_response_due_at == at(2026, 3, 11, 11, 0)
    assert states(ticket)["first_response/2"] == ClockState.RUNNING
    assert states(ticket)["resolution/2"] == ClockState.RUNNING


def test_an_answered_ticket_gets_no_first_response_clock(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
        actions.set_agreement(world.agent, ticket, None)
        actions.reply(world.agent, ticket, body="On it")
        actions.set_agreement(world.agent, ticket, world.sla)
    assert states(ticket) == {
        "first_response/1": ClockState.CANCELLED,
        "resolution/1": ClockState.CANCELLED,
        "resolution/2": ClockState.RUNNING,
    }


def test_an_internal_request_can_be_put_under_an_agreement_with_everyone(world: World) -> None:
    everyone = agreement_actions.create_agreement(
        None, name="Support for colleagues", kind="ola", provider=world.support.party,
        client=world.own.party, calendar=world.calendar, active_from=date(2020, 1, 1),
        targets=[{"priority": "normal", "first_response_minutes": 120}],
    )  # fmt: skip
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = actions.create_ticket(
            world.agent, subject="Laptop", body="Slow", provider=world.support.party,
            requester=world.agent, client=world.it.party,
        )  # fmt: skip
    assert ticket.agreement_id is not None  # chosen by itself: the fallback applied
    actions.set_agreement(world.agent, ticket, None)
    with clock.travel_to(at(2026, 3, 10, 13, 0)):
        actions.set_agreement(world.agent, ticket, everyone)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 10, 15, 0)


@pytest.mark.parametrize(
    ("choice", "says"),
    [
        ("uc", "another provider"),
        ("other_sla", "does not cover Globex"),
        ("expired", "not in force"),
    ],
)
def test_an_agreement_that_cannot_apply_is_refused(world: World, choice: str, says: str) -> None:
    ticket = world.ticket("contact")
    if choice == "expired":
        agreement = premium(world, active_from=date(2020, 1, 1), active_until=date(2021, 1, 1))
    else:
        agreement = getattr(world, choice)
    with pytest.raises(Invalid) as refused:
        actions.set_agreement(world.agent, ticket, agreement)  # type: ignore[arg-type]
    assert says in refused.value.detail
    assert refused.value.field == "agreement"
    ticket.refresh_from_db()
    assert ticket.agreement_id == world.sla.pk


def test_clients_cannot_change_the_agreement(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(PermissionDenied):
        actions.set_agreement(world.contact, ticket, None)
    ticket.refresh_from_db()
    assert ticket.agreement_id == world.sla.pk


def test_the_api_changes_the_agreement_and_names_a_bad_one(world: World) -> None:
    ticket = world.ticket("contact")
    better = premium(world)
    agent = world.client("agent")
    response = agent.patch_json(f"/api/v1/tickets/{ticket.pk}", {"agreement": better.pk})  # type: ignore[attr-defined]
    assert response.status_code == 200, response.content
    assert response.json()["agreement"]["name"] == "Globex premium"
    response = agent.patch_json(f"/api/v1/tickets/{ticket.pk}", {"agreement": 999_999})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    response = agent.patch_json(f"/api/v1/tickets/{ticket.pk}", {"agreement": world.uc.pk})
    assert response.status_code == 422
    assert "another provider" in response.json()["detail"]
