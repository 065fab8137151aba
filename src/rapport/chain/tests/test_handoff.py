"""Hand-offs: the child's provider, agreement and clocks; what it shares; who sees it;
waiting on children; hearing that a child is solved."""

from __future__ import annotations

import pytest

from rapport.chain import actions as chain_actions
from rapport.chain.models import WAITING_SLUG, HandOff
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.queries import scope_for
from rapport.notifications.models import Notification
from rapport.sla.models import ClockState, TicketClock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket
from rapport.tickets.testing import drain_reactions


def _parent(world: World) -> Ticket:
    parent = world.ticket(
        "contact", subject="Printer on fire", body="Floor 2, Acme secret code 42."
    )
    actions.assign(world.agent, parent, world.agent)
    actions.add_note(world.agent, parent, body="Customer is grumpy; internal only.")
    return parent


def test_a_handoff_to_it_runs_under_the_ola(world: World) -> None:
    parent = _parent(world)
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="Check the VPN", note="VPN is down"
    )
    assert child.parent_id == parent.pk
    assert (child.client_party_id, child.provider_party_id) == (
        world.support.party.pk, world.it.party.pk,
    )  # fmt: skip
    assert child.agreement == world.ola  # Support is part of our organisation
    assert TicketClock.objects.filter(ticket=child, state=ClockState.RUNNING).count() == 2
    record = HandOff.objects.get(child=child)
    assert (record.parent_id, record.asked_by, record.note) == (
        parent.pk,
        world.agent,
        "VPN is down",
    )
    assert parent.events.filter(kind="handoff", new_value=f"#{child.pk}").exists()


def test_a_handoff_to_a_vendor_shares_only_what_the_agent_chose(world: World) -> None:
    parent = _parent(world)
    plain = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer", note="Send someone"
    )
    quoted = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer again",
        note="Here is what they said", share_request=True,
    )  # fmt: skip
    assert plain.agreement == world.uc and quoted.agreement == world.uc
    vendor = scope_for(world.vendor_user)
    plain_text = " ".join(m.body_text for m in ticket_queries.thread(vendor, plain))
    assert "Send someone" in plain_text
    assert "secret code" not in plain_text and "grumpy" not in plain_text
    quoted_text = " ".join(m.body_text for m in ticket_queries.thread(vendor, quoted))
    assert "secret code 42" in quoted_text and "grumpy" not in quoted_text


def test_vendor_sees_the_child_never_the_parent(world: World) -> None:
    parent = _parent(world)
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer", note="Send someone"
    )
    vendor = scope_for(world.vendor_user)
    assert ticket_queries.get_ticket(vendor, child.pk) == child
    with pytest.raises(NotFound):
        ticket_queries.get_ticket(vendor, parent.pk)
    # A contractor user is another organisation: nothing of PrintCo's work.
    with pytest.raises(NotFound):
        ticket_queries.get_ticket(scope_for(world.contractor_user), child.pk)


def test_through_the_api_a_vendor_never_learns_the_parents_number(world: World) -> None:
    parent = _parent(world)
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer", note="Send someone"
    )
    it = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="Network", note="Check the port"
    )
    vendor, agent = world.client("vendor_user"), world.client("agent")
    assert vendor.get(f"/api/v1/tickets/{child.pk}").json()["parent"] is None
    listed = {t["number"]: t["parent"] for t in vendor.get("/api/v1/tickets").json()["items"]}
    assert listed == {child.pk: None}
    # IT's agent works their hand-off but cannot open Support's customer ticket either.
    assert world.client("other_agent").get(f"/api/v1/tickets/{it.pk}").json()["parent"] is None
    # The team that handed the work over sees where it came from.
    assert agent.get(f"/api/v1/tickets/{child.pk}").json()["parent"] == parent.pk
    listed = {t["number"]: t["parent"] for t in agent.get("/api/v1/tickets").json()["items"]}
    assert listed[child.pk] == listed[it.pk] == parent.pk and listed[parent.pk] is None


def test_the_customer_never_sees_a_handoff(world: World) -> None:
    parent = _parent(world)
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN", note="VPN", wait=True
    )
    for role in ("contact", "org_admin"):
        scope = scope_for(world.people[role])
        with pytest.raises(NotFound):
            ticket_queries.get_ticket(scope, child.pk)
        kinds = {e.kind for e in ticket_queries.history(scope, parent)}
        assert "handoff" not in kinds and not any(k.startswith("sla") for k in kinds)


def test_children_can_have_children(world: World) -> None:
    parent = _parent(world)
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN", note="VPN"
    )
    grandchild = chain_actions.hand_off(
        world.other_agent, child, provider=world.vendor.party, subject="Router", note="Replace"
    )
    assert grandchild.parent_id == child.pk
    assert grandchild.client_party_id == world.it.party.pk


def test_only_the_providing_team_hands_off(world: World) -> None:
    parent = _parent(world)
    for role in ("contact", "vendor_user"):
        with pytest.raises((NotFound, PermissionDenied)):
            chain_actions.hand_off(
                world.people[role], parent, provider=world.it.party, subject="x", note="y"
            )
    with pytest.raises(Invalid):
        chain_actions.hand_off(
            world.agent, parent, provider=world.support.party, subject="x", note="y"
        )
    with pytest.raises(Invalid):
        chain_actions.hand_off(
            world.agent, parent, provider=world.customer.party, subject="x", note="y"
        )
    assert not Ticket.objects.filter(parent=parent).exists()


def test_solving_a_child_tells_the_parents_assignee_and_resumes_a_waiting_parent(
    world: World,
) -> None:
    parent = _parent(world)
    it_child = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN", note="VPN"
    )
    vendor_child = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Printer", note="Fix", wait=True
    )
    parent.refresh_from_db()
    assert parent.status.slug == WAITING_SLUG and parent.status_category == "on_hold"
    solved = actions.default_status("solved")
    actions.set_status(world.other_agent, it_child, solved)
    drain_reactions()  # the chain's reaction to the child's solve
    told = Notification.objects.filter(recipient=world.agent, kind="child_solved")
    assert told.count() == 1 and "1 other hand-off" in told.get().text
    parent.refresh_from_db()
    assert parent.status.slug == WAITING_SLUG  # still waits on the vendor
    actions.set_status(world.vendor_user, vendor_child, solved)
    drain_reactions()
    assert told.count() == 2
    parent.refresh_from_db()
    assert parent.status_category == "open"


def test_waiting_keeps_the_customers_clock_running_by_default(world: World) -> None:
    parent = _parent(world)
    chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN", note="VPN", wait=True
    )
    resolution = TicketClock.objects.get(ticket=parent, kind="resolution")
    assert resolution.state == ClockState.RUNNING


def test_an_agreement_that_pauses_on_hold_stops_the_parents_clock(world: World) -> None:
    from rapport.agreements.models import Agreement

    Agreement.objects.filter(pk=world.sla.pk).update(
        pauses={"resolution": ["pending_client", "on_hold"]}
    )
    parent = _parent(world)
    chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="VPN", note="VPN", wait=True
    )
    resolution = TicketClock.objects.get(ticket=parent, kind="resolution")
    assert resolution.state == ClockState.PAUSED


def test_waiting_needs_an_open_child(world: World) -> None:
    parent = _parent(world)
    with pytest.raises(Conflict):
        chain_actions.wait_on_children(world.agent, parent)


def test_a_contractor_serves_our_customer_directly_under_its_uc(world: World) -> None:
    ticket = world.ticket("contact", subject="On-site visit", provider=world.contractor.party)
    assert ticket.agreement == world.contractor_uc
    contractor = scope_for(world.contractor_user)
    assert ticket_queries.get_ticket(contractor, ticket.pk) == ticket
    actions.reply(world.contractor_user, ticket, body="We come on Monday.")
    actions.set_status(world.contractor_user, ticket, actions.default_status("solved"))
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None and ticket.status_category == "solved"
