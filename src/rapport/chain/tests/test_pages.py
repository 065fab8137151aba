"""The chain's pages: the hand-off form on a desk ticket, the parent's hand-offs,
what the customer reads, the vendor asking for information, my requests, the map
and the analytics; each in a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.chain import actions as chain_actions
from rapport.chain.tests.chainworld import T0, build_chain
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def _count(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert getattr(response, "status_code", 200) == 200
    return len(ctx.captured_queries)


def test_agent_hands_off_from_the_ticket_page(world: World) -> None:
    parent = world.ticket("contact")
    agent = _browser(world, "agent")
    page = agent.get(f"/desk/t/{parent.pk}/").content.decode()
    # The page offers the hand-off; the form and its providers load when asked for.
    assert f'hx-get="/chain/t/{parent.pk}/handoff"' in page
    assert 'id="handoff-form"' not in page
    fragment = agent.get(f"/chain/t/{parent.pk}/handoff", HTTP_HX_REQUEST="true")
    form = fragment.content.decode()
    assert 'id="handoff-form"' in form and "<html" not in form
    assert "PrintCo (vendor; PrintCo printer care, UC)" in form
    assert f'value="{parent.subject}"' in form
    # Without script, the same link opens the form on a page of its own.
    whole = agent.get(f"/chain/t/{parent.pk}/handoff").content.decode()
    assert "<html" in whole and 'id="handoff-form"' in whole
    response = agent.post(
        f"/chain/t/{parent.pk}/handoff",
        {"provider": world.vendor.party.pk, "subject": "Printer", "note": "Send a technician",
         "wait": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    child = Ticket.objects.get(parent=parent)
    page = agent.get(f"/desk/t/{parent.pk}/").content.decode()
    assert f'data-child="{child.pk}"' in page and "PrintCo" in page and "due " in page
    assert "Waiting on partner" in page


def test_a_bad_handoff_shows_field_errors(world: World) -> None:
    parent = world.ticket("contact")
    response = _browser(world, "agent").post(
        f"/chain/t/{parent.pk}/handoff", {"provider": "999999", "subject": "", "note": ""}
    )
    assert response.status_code == 422
    assert not Ticket.objects.filter(parent=parent).exists()
    assert 'id="handoff-form"' in response.content.decode()


def test_no_handoff_form_for_a_solved_ticket(world: World) -> None:
    parent = world.ticket("contact")
    actions.set_status(world.people["agent"], parent, actions.default_status("solved"))
    agent = _browser(world, "agent")
    assert agent.get(f"/chain/t/{parent.pk}/handoff").status_code == 404
    assert 'href="/chain/t/' not in agent.get(f"/desk/t/{parent.pk}/").content.decode()


def test_clients_and_vendors_cannot_hand_off(world: World) -> None:
    parent = world.ticket("contact")
    for role in ("contact", "vendor_user"):
        assert _browser(world, role).get(f"/chain/t/{parent.pk}/handoff").status_code == 403
        response = _browser(world, role).post(
            f"/chain/t/{parent.pk}/handoff",
            {"provider": world.it.party.pk, "subject": "x", "note": "y"},
        )
        assert response.status_code == 403
    assert not Ticket.objects.filter(parent=parent).exists()


def test_the_customer_reads_waiting_on_a_partner_and_nothing_more(world: World) -> None:
    parent = world.ticket("contact")
    chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="PrintCo job 77",
        note="Send a technician", wait=True,
    )  # fmt: skip
    contact = _browser(world, "contact")
    for path in (f"/portal/r/{parent.pk}/", "/portal/"):
        page = contact.get(path).content.decode()
        assert "Waiting on a partner" in page
        assert "PrintCo" not in page and "technician" not in page


def test_vendor_asks_for_information_from_the_portal(world: World) -> None:
    parent = world.ticket("contact")
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer", note="Fix it"
    )
    vendor = _browser(world, "vendor_user")
    response = vendor.post(
        f"/portal/r/{child.pk}/reply", {"body": "Which model is it?", "ask": "1"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.status_category == "pending_client"
    # The agent answers on the desk; the vendor solves from the portal.
    actions.reply(world.agent, child, body="A LaserJet 4.")
    assert vendor.post(f"/portal/r/{child.pk}/resolve").status_code == 302
    child.refresh_from_db()
    assert child.status_category == "solved"


def test_my_requests_to_other_teams(world: World) -> None:
    parent = world.ticket("contact")
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN for Globex", note="VPN"
    )
    mine = world.ticket("agent", subject="New laptop please", provider=world.it.party)
    page = _browser(world, "agent").get("/chain/requests/").content.decode()
    assert "VPN for Globex" in page and "New laptop please" in page
    assert f"#{parent.pk}" in page  # the ticket it was for
    assert "Printer on fire" not in page.split("<table")[-1]  # not a request to others
    assert child.pk and mine.pk
    lead = _browser(world, "lead").get("/chain/requests/").content.decode()
    assert "VPN for Globex" not in lead


def test_map_and_analytics_pages(world: World) -> None:
    chain = build_chain(world)
    manager = _browser(world, "manager")
    query = f"?since={(T0 - timedelta(days=1)):%Y-%m-%d}&until={T0:%Y-%m-%d}"
    page = manager.get("/chain/map/" + query).content.decode()
    assert "<svg" in page and 'class="edge worst"' in page
    assert f'data-agreement="{chain.uc.pk}"' in page and "Worst links" in page
    analytics = manager.get("/chain/analytics/" + query).content.decode()
    assert "<strong>4</strong> customer tickets" in analytics
    assert "<strong>1</strong> of <strong>1</strong> customer tickets" in analytics
    period = {"since": (T0 - timedelta(days=1)).isoformat(),
              "until": (T0 + timedelta(days=1)).isoformat()}  # fmt: skip
    answer = manager.get("/chain/tickets/", {"agreement": chain.uc.pk, "breached": "1", **period})
    link = answer.content.decode()
    assert "T3 printer" in link and "T4 part" not in link  # T4's part is under IT's UC
    for role in ("contact", "vendor_user"):
        for path in ("/chain/map/", "/chain/analytics/", "/chain/requests/"):
            assert _browser(world, role).get(path).status_code == 403


def test_chain_pages_take_constant_queries(world: World) -> None:
    manager = _browser(world, "manager")
    agent = _browser(world, "agent")
    paths = ("/chain/map/", "/chain/analytics/")
    small = {p: _count(lambda p=p: manager.get(p)) for p in paths}
    small_requests = _count(lambda: agent.get("/chain/requests/"))
    build_chain(world)
    for i in range(5):
        chain_actions.hand_off(
            world.agent, world.ticket("contact"), provider=world.it.party, subject=f"S{i}",
            note="n",
        )  # fmt: skip
    assert {p: _count(lambda p=p: manager.get(p)) for p in paths} == small
    assert _count(lambda: agent.get("/chain/requests/")) == small_requests


def test_survey_figures_in_the_analytics_api_and_page(world: World) -> None:
    chain = build_chain(world)
    from rapport.surveys import actions as survey_actions

    survey_actions.answer(chain.t3.survey, actor=world.contact, ratings={"csat": 2, "nps": 3})
    survey_actions.answer(chain.t4.survey, actor=world.contact, ratings={"csat": 5, "nps": 9})
    manager = _browser(world, "manager")
    period = {"since": (T0 - timedelta(days=1)).isoformat(),
              "until": (T0 + timedelta(days=1)).isoformat()}  # fmt: skip
    body = manager.get("/api/v1/chain/analytics", period).json()
    outcomes = {o["group"]: o for o in body["outcomes"]}
    breached = outcomes["handoff_breached"]
    assert {k: breached[k] for k in ("survey_responses", "csat_answers", "csat_satisfied",
                                     "csat", "mean_csat", "nps_answers", "nps_promoters",
                                     "nps_detractors", "nps")} == {
        "survey_responses": 2, "csat_answers": 2, "csat_satisfied": 1, "csat": 50.0,
        "mean_csat": 3.5, "nps_answers": 2, "nps_promoters": 1, "nps_detractors": 1, "nps": 0.0,
    }  # fmt: skip
    assert (outcomes["no_handoffs"]["survey_responses"], outcomes["no_handoffs"]["csat"]) == (
        0, None,
    )  # fmt: skip
    query = f"?since={(T0 - timedelta(days=1)):%Y-%m-%d}&until={T0:%Y-%m-%d}"
    page = manager.get("/chain/analytics/" + query).content.decode()
    row = page.split('data-group="handoff_breached"')[1].split("</tr>")[0]
    assert "<td>2</td>" in row and '50.0% <span class="muted">of 2</span>' in row
    assert "<td>3.5</td>" in row and '0.0 <span class="muted">of 2</span>' in row
    unanswered = page.split('data-group="no_handoffs"')[1].split("</tr>")[0]
    assert "<td>0</td>" in unanswered and "N/A" in unanswered
