from __future__ import annotations

import pytest

from rapport.core.choices import Priority
from rapport.core.errors import Invalid, PermissionDenied
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event, SearchDocument


def test_customer_request_gets_the_matching_agreement_and_a_log(world: World) -> None:
    ticket = world.ticket("contact")

    assert ticket.agreement == world.sla
    assert ticket.client_party == world.customer.party
    assert ticket.status.slug == "new" and ticket.status_category == "open"
    assert ticket.message_count == 1
    kinds = list(Event.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == ["created", "agreement", "sla_applied", "sla_applied"]
    chosen = Event.objects.get(ticket=ticket, kind="agreement")
    assert chosen.new_value == "Globex support"
    assert "Globex" in chosen.data["reason"]


def test_internal_request_falls_back_to_the_whole_organisation_agreement(world: World) -> None:
    ticket = world.ticket("employee", provider=world.it.party, subject="VPN down")
    assert ticket.client_party == world.own.party
    assert ticket.agreement == world.ola


def test_staff_ticket_without_agreement_records_why(world: World) -> None:
    ticket = actions.create_ticket(
        world.agent,
        subject="Toner",
        body="Order toner",
        provider=world.vendor.party,
        requester=world.agent,
        client=world.it.party,
    )
    assert ticket.agreement is None
    reason = Event.objects.get(ticket=ticket, kind="agreement").data["reason"]
    assert reason == "no active agreement between IT Service Desk and PrintCo"


def test_client_cannot_ask_a_provider_without_agreement(world: World) -> None:
    with pytest.raises(Invalid, match="does not provide service"):
        world.ticket("contact", provider=world.vendor.party)


def test_client_cannot_raise_for_someone_else(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_ticket(
            world.contact,
            subject="x",
            body="y",
            provider=world.support.party,
            requester=world.colleague,
        )


def test_client_cannot_pick_priority_unless_the_agreement_allows(world: World) -> None:
    with pytest.raises(PermissionDenied, match="priority"):
        world.ticket("contact", priority=Priority.URGENT)
    world.sla.clients_choose_priority = True
    world.sla.save()
    assert world.ticket("contact", priority=Priority.URGENT).priority == Priority.URGENT


def test_subject_and_body_are_required_and_bounded(world: World) -> None:
    with pytest.raises(Invalid, match="subject"):
        world.ticket("contact", subject="   ")
    with pytest.raises(Invalid, match="empty"):
        world.ticket("contact", body="<p> </p>", body_is_html=True)
    with pytest.raises(Invalid, match="300"):
        world.ticket("contact", subject="x" * 301)


def test_html_body_is_sanitised_and_searchable(world: World) -> None:
    ticket = world.ticket(
        "contact",
        body='<p>Hello <script>alert(1)</script><img src="x" onerror="alert(2)"></p>',
        body_is_html=True,
    )
    message = ticket.messages.get()
    assert "<script" not in message.body_html
    assert "onerror" not in message.body_html
    assert message.body_text == "Hello"
    assert SearchDocument.objects.get(ticket=ticket).body.startswith("Printer on fire")


def test_agent_can_raise_on_behalf_with_tags_and_assignee(world: World) -> None:
    ticket = actions.create_ticket(
        world.agent,
        subject="Phone call",
        body="Customer called about an invoice",
        provider=world.support.party,
        requester=world.contact,
        channel="phone",
        tags=["Billing", "vip"],
        assignee=world.agent,
    )
    assert ticket.requester == world.contact
    assert ticket.messages.get().author == world.contact
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "vip"]
    assert ticket.assignee == world.agent
    assert Event.objects.get(ticket=ticket, kind="created").actor == world.agent


def test_hand_off_is_asked_by_the_team_working_the_parent(world: World) -> None:
    parent = world.ticket("contact")
    child = actions.create_ticket(
        world.agent,
        subject="Replace fuser",
        body="Printer needs a new fuser",
        provider=world.vendor.party,
        requester=world.agent,
        parent=parent,
    )
    assert child.client_party == world.support.party
    assert child.agreement == world.uc
    assert child.parent == parent


def test_staff_request_to_another_team_is_from_their_team(world: World) -> None:
    ticket = actions.create_ticket(
        world.agent, subject="Laptop", body="New laptop please", provider=world.it.party
    )
    assert ticket.client_party == world.support.party
    assert ticket.agreement == world.ola  # IT's OLA with everyone applies to every team
