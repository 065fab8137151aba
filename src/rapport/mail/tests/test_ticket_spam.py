"""From the desk, an agent marks a ticket that came by e-mail as spam (or not): spamd
learns from the original message, the ticket is tagged and kept, and only staff who
see the ticket may say so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from rapport.core.errors import Conflict, PermissionDenied
from rapport.mail.actions import spam as spam_actions
from rapport.mail.models import InboundMessage, Mailbox
from rapport.mail.testing import build, deliver
from rapport.mail.tests.spamd import spamd
from rapport.testing import World
from rapport.tickets.models import Ticket
from rapport.tickets.queries import tag_names_of

PITCH = "Dear friend, buy cheap watches at our online store, limited offer, click now."


@pytest.fixture(scope="module")
def spamd_address() -> Iterator[str]:
    with spamd() as address:
        yield address


@pytest.fixture
def filtered(spamd_address: str) -> Iterator[str]:
    with override_settings(RAPPORT_SPAMD=spamd_address):
        yield spamd_address


def test_marking_a_ticket_as_spam_and_back_from_its_page(
    filtered: str, mailbox: Mailbox, world: World
) -> None:
    placed = deliver(build(subject="Cheap watches", text=PITCH), mailbox)
    ticket = Ticket.objects.get(pk=placed.ticket_id)
    browser = Client()
    browser.force_login(world.agent)
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    assert "Mark as spam" in page

    response = browser.post(f"/settings/mail/tickets/{ticket.pk}/spam", follow=True)
    assert "the filter learns from it" in response.content.decode()
    assert "spam" in tag_names_of(ticket)
    assert InboundMessage.objects.get(pk=placed.pk).spam_feedback == "spam"
    assert Ticket.objects.filter(pk=ticket.pk).exists()  # kept, never deleted
    assert "Not spam" in browser.get(f"/desk/t/{ticket.pk}/").content.decode()

    browser.post(f"/settings/mail/tickets/{ticket.pk}/not-spam")
    assert "spam" not in tag_names_of(ticket)
    assert InboundMessage.objects.get(pk=placed.pk).spam_feedback == "ham"


def test_only_staff_who_see_the_ticket_may_mark_it(mailbox: Mailbox, world: World) -> None:
    placed = deliver(build(subject="Cheap watches", text=PITCH), mailbox)
    ticket = Ticket.objects.get(pk=placed.ticket_id)
    with pytest.raises(PermissionDenied):
        spam_actions.mark_ticket(world.contact, ticket, is_spam=True)
    with pytest.raises(PermissionDenied):
        spam_actions.mark_ticket(world.contact, ticket, is_spam=False)
    assert "spam" not in tag_names_of(ticket)
    contact = Client()
    contact.force_login(world.contact)
    assert contact.post(f"/settings/mail/tickets/{ticket.pk}/spam").status_code == 403
    assert "spam" not in tag_names_of(ticket)


def test_a_ticket_that_did_not_come_by_mail_has_nothing_to_learn_from(world: World) -> None:
    with pytest.raises(Conflict):
        spam_actions.mark_ticket(world.agent, world.ticket(), is_spam=True)
