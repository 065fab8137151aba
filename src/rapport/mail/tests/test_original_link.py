"""The desk shows a mail's new text; the whole e-mail, quoted history and headers
included, is one click away on the message, byte for byte, for those who may read it."""

from __future__ import annotations

import re

from django.test import Client

from rapport.mail.models import Mailbox
from rapport.mail.testing import deliver
from rapport.mail.tests.test_parse import raw
from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_the_original_is_one_click_from_the_message(world: World, mailbox: Mailbox) -> None:
    message = raw(
        "Subject: Printer\n",
        "It jams again.\r\n\r\nOn Monday, Support wrote:\r\n> Try the rear tray.\r\n",
    )
    inbound = deliver(message, mailbox)
    assert inbound.message is not None, inbound.reason
    ticket = inbound.message.ticket
    page = _browser(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    links = re.findall(r'href="(/api/v1/tickets/\d+/messages/\d+/original\.eml)"', page)
    assert links == [f"/api/v1/tickets/{ticket.pk}/messages/{inbound.message.pk}/original.eml"]
    response = _browser(world, "agent").get(links[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == message  # type: ignore[attr-defined]
    # A colleague of another team may not read the ticket, so not its original either.
    assert _browser(world, "other_agent").get(links[0]).status_code == 404
