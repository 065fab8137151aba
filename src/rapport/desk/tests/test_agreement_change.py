"""Changing a ticket's agreement from its page: the choice loads on demand, the
clocks follow (tickets.actions.set_agreement), the clock panel refreshes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets.models import Event, Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}
BERLIN = ZoneInfo("Europe/Berlin")


def premium(world: World, name: str = "Globex premium", **kw: object) -> Agreement:
    """A tighter Globex agreement: normal priority answered in an hour, solved in a day."""
    return agreement_actions.create_agreement(
        None, name=name, kind="sla", provider=world.support.party,
        client=world.customer.party, calendar=world.calendar,
        active_from=kw.pop("active_from", date(2020, 1, 1)),  # type: ignore[arg-type]
        targets=[{"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 480}],
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_page_offers_the_change_without_reading_the_agreements(world: World) -> None:
    ticket = world.ticket("contact")
    premium(world)
    page = signed_in(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    assert f'hx-get="/desk/t/{ticket.pk}/agreement"' in page
    assert "Globex premium" not in page  # listed only when asked for


def test_agent_moves_the_ticket_to_a_tighter_agreement(world: World) -> None:
    with clock.travel_to(datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)):  # Tuesday, office 9-17
        ticket = world.ticket("contact")
    better = premium(world)
    old = {"active_from": date(2019, 1, 1), "active_until": date(2019, 12, 31)}
    premium(world, name="Globex 2019", **old)
    browser = signed_in(world, "agent")

    choice = browser.get(f"/desk/t/{ticket.pk}/agreement", **HTMX).content.decode()
    assert 'id="f-agreement"' in choice and "<html" not in choice
    assert f'<option value="{better.pk}">Globex premium · SLA (customer)</option>' in choice
    assert f'value="{world.sla.pk}" selected' in choice  # the one it is under now
    assert "Globex 2019" not in choice  # not in force: not offered
    assert "Initech" not in choice

    with clock.travel_to(datetime(2026, 3, 10, 10, 20, tzinfo=BERLIN)):
        response = browser.post(
            f"/desk/t/{ticket.pk}/agreement", {"agreement": str(better.pk)}, **HTMX
        )
        panel = browser.get(f"/desk/t/{ticket.pk}/clocks").content.decode()
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fields"' in html and "Globex premium" in html and "Agreement changed" in html
    assert response["HX-Trigger"] == "ticket-changed"  # the history and the clocks follow
    ticket.refresh_from_db()
    assert ticket.agreement_id == better.pk
    # The 20 minutes already used count: answered by 11:00 Berlin time.
    assert ticket.first_response_due_at == datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN)
    assert 'id="sla-block"' in panel and "Service levels" in panel
    event = Event.objects.get(ticket=ticket, kind="agreement", actor=world.agent)
    assert (event.old_value, event.new_value) == ("Globex support", "Globex premium")


def test_no_agreement_and_back_without_script(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{ticket.pk}/agreement").content.decode()
    assert "<html" in page and 'id="f-agreement"' in page
    response = browser.post(f"/desk/t/{ticket.pk}/agreement", {"agreement": ""}, follow=True)
    assert "Agreement changed" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).agreement_id is None


def test_an_agreement_not_on_offer_is_a_field_error(world: World) -> None:
    ticket = world.ticket("contact")
    other = Agreement.objects.exclude(provider=world.support.party).first()
    assert other is not None
    browser = signed_in(world, "agent")
    for value in (str(other.pk), "999999", "x", "1" * 30):
        response = browser.post(f"/desk/t/{ticket.pk}/agreement", {"agreement": value}, **HTMX)
        assert response.status_code == 422, value
        assert 'role="alert"' in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).agreement_id == world.sla.pk


def test_only_the_provider_side_may_change_it(world: World) -> None:
    handed = world.handoff()  # our team asked the vendor: the vendor provides
    agent = signed_in(world, "agent")
    assert "/agreement" not in agent.get(f"/desk/t/{handed.pk}/").content.decode()
    assert agent.get(f"/desk/t/{handed.pk}/agreement").status_code == 404
    response = agent.post(f"/desk/t/{handed.pk}/agreement", {"agreement": ""}, **HTMX)
    assert response.status_code == 422
    assert Ticket.objects.get(pk=handed.pk).agreement_id is not None
    # Clients never reach the desk at all.
    ticket = world.ticket("contact")
    contact = signed_in(world, "contact")
    assert contact.get(f"/desk/t/{ticket.pk}/agreement").status_code in (302, 403)
    assert contact.post(f"/desk/t/{ticket.pk}/agreement", {"agreement": ""}).status_code in (
        302,
        403,
    )
    assert Ticket.objects.get(pk=ticket.pk).agreement_id == world.sla.pk
