"""Outreach: one message to every affected client, on their own ticket, with a
preview that writes nothing, and a follow-up to the same set."""

from __future__ import annotations

import pytest

from rapport.core.choices import StatusCategory
from rapport.core.errors import PermissionDenied
from rapport.proactive.actions import preview, send_outreach
from rapport.proactive.models import Outreach, OutreachRecipient
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event, Message, Side, Ticket


def test_vendor_incident_reaches_each_customer_once_on_their_own_ticket(world: World) -> None:
    first = world.ticket(subject="Card payments fail")
    second = world.ticket(subject="Receipts missing")
    third = world.ticket(requester="org_admin", subject="Terminal offline")
    for t in (first, second, third):
        ticket_actions.create_ticket(
            world.agent, subject="Terminal", body="Check it", parent=t, provider=world.vendor.party
        )
    found = preview(world.manager, source="vendor", vendor=world.vendor.party.pk)
    # One message per client contact: the contact's newest affected ticket.
    assert {(r.person, r.ticket) for r in found} == {
        (world.contact, second),
        (world.org_admin, third),
    }
    assert not Outreach.objects.exists()  # the dry run wrote nothing
    sent = send_outreach(
        world.manager,
        subject="Payment terminals",
        source="vendor",
        body="Our terminal supplier has an outage; we are on it.",
        vendor=world.vendor.party.pk,
    )
    replies = Message.objects.filter(
        ticket__in=[second, third], author_side=Side.PROVIDER, is_internal=False
    )
    assert replies.count() == 2
    assert Event.objects.filter(ticket=second, kind="reply", data__side="provider").exists()
    assert sent.recipients.count() == 2


def test_a_closed_ticket_gets_a_new_one_and_the_follow_up_reaches_the_same_set(
    world: World,
) -> None:
    done = world.ticket(subject="Old question")
    ticket_actions.set_status(
        world.agent, done, ticket_actions.default_status(StatusCategory.CLOSED)
    )
    live = world.ticket(requester="org_admin", subject="Live question")
    sent = send_outreach(
        world.manager,
        subject="Maintenance tonight",
        body="Down 22:00–23:00.",
        tickets=[done.pk, live.pk],
    )
    opened = OutreachRecipient.objects.get(outreach=sent, person=world.contact)
    assert opened.opened_ticket and opened.ticket_id != done.pk
    assert Ticket.objects.get(pk=opened.ticket_id).requester == world.contact
    follow = send_outreach(
        world.manager, subject="Maintenance done", body="All back.", follow_up_of=sent
    )
    assert set(follow.recipients.values_list("ticket_id", flat=True)) == set(
        sent.recipients.values_list("ticket_id", flat=True)
    )
    assert follow.follow_up_of == sent


def test_only_managers_and_admins_send_outreach(world: World) -> None:
    ticket = world.ticket()
    for person in (world.agent, world.contact, world.vendor_user):
        with pytest.raises(PermissionDenied):
            preview(person, source="tickets", tickets=[ticket.pk])
