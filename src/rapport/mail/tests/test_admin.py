"""The admin's Replay button reprocesses quarantined mail, for admins only."""

from __future__ import annotations

from django.test import Client

from rapport.mail import actions
from rapport.mail.models import InboundState, Mailbox
from rapport.mail.testing import build, deliver
from rapport.testing import PASSWORD, World


def test_replay_button(world: World, mailbox: Mailbox) -> None:
    stuck = deliver(build(sender="nina@newcustomer.example"), mailbox)
    assert stuck.state == InboundState.QUARANTINED
    actions.update_mailbox(None, mailbox, unknown_sender_organisation=world.customer)
    browser = Client()
    assert browser.login(username="admin", password=PASSWORD)
    page = browser.get("/admin/mail/inboundmessage/?state__exact=quarantined")
    assert page.status_code == 200
    assert b"nina@newcustomer.example" in page.content
    assert b"Replay the selected quarantined messages" in page.content
    response = browser.post(
        "/admin/mail/inboundmessage/",
        {"action": "replay", "_selected_action": [stuck.pk]},
        follow=True,
    )
    assert b"Replayed: 1 processed." in response.content
    stuck.refresh_from_db()
    assert stuck.state == InboundState.PROCESSED


def test_the_admin_is_closed_to_agents(world: World, mailbox: Mailbox) -> None:
    browser = Client()
    assert browser.login(username="agent", password=PASSWORD)
    response = browser.get("/admin/mail/inboundmessage/")
    assert response.status_code == 302  # sent to the admin's sign-in page
