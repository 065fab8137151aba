"""Bounces and delay notices from the mail systems people really use never open a
ticket, and nothing is ever mailed back to a mail system.

The fixtures in `bounces/` are written after the notices of Postfix (failure and
"Delayed Mail"), Sendmail, qmail, Exim, Yahoo, AOL, Gmail, Exchange (2003 and
Online), Lotus Domino, a `multipart/report` without its report-type, `From:
Postmaster <>`, and a null sender with no From at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.mail import outbound
from rapport.mail.models import InboundState, Mailbox, OutboundMessage, OutboundState, Outcome
from rapport.mail.testing import build, deliver
from rapport.testing import World
from rapport.tickets.models import Ticket

FIXTURES = Path(__file__).parent / "bounces"
DELAYS = {"postfix_delayed", "gmail_delay", "sendmail_warning"}


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.eml")))
def test_a_bounce_or_delay_opens_no_ticket(name: str, mailbox: Mailbox) -> None:
    inbound = deliver((FIXTURES / f"{name}.eml").read_bytes(), mailbox)
    assert inbound.state == InboundState.IGNORED, (inbound.state, inbound.reason)
    assert inbound.outcome == (Outcome.DELAY if name in DELAYS else Outcome.BOUNCE), inbound.reason
    assert Ticket.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_a_bounce_marks_the_mail_it_returns_as_bounced(world: World, mailbox: Mailbox) -> None:
    ticket = world.ticket()
    sent = outbound.queue_mail(to="gone@client.example", subject="Hi", text="Hi", ticket=ticket)
    raw = (
        (FIXTURES / "postfix_failed.eml")
        .read_bytes()
        .replace(b"sent-by-us@rapport.localhost", sent.rfc_id.encode())
    )
    inbound = deliver(raw, mailbox)
    assert (inbound.outcome, inbound.ticket_id) == (Outcome.BOUNCE, ticket.pk)
    sent.refresh_from_db()
    assert sent.state == OutboundState.BOUNCED
    # A delay is not a failure: the mail is still on its way.
    later = outbound.queue_mail(to="slow@client.example", subject="Hi", text="Hi", ticket=ticket)
    raw = (
        (FIXTURES / "postfix_delayed.eml")
        .read_bytes()
        .replace(b"sent-by-us@rapport.localhost", later.rfc_id.encode())
    )
    assert deliver(raw, mailbox).outcome == Outcome.DELAY
    later.refresh_from_db()
    assert later.state == OutboundState.QUEUED


@pytest.mark.parametrize(
    "raw",
    [
        build(subject="Undeliverable parcel, order 5512", text="Your courier could not find us."),
        build(subject="Undelivered: order 7781", text="The laptop could not be delivered."),
        build(subject="Fwd: Undelivered Mail Returned to Sender", text="Why did this bounce?"),
        build(subject="Delivery status of my order", text="Where is my laptop?"),
    ],
    ids=["parcel", "undelivered order", "forwarded bounce", "order status"],
)
def test_a_person_writing_about_delivery_gets_a_ticket(raw: bytes, mailbox: Mailbox) -> None:
    assert deliver(raw, mailbox).outcome == Outcome.TICKET


@pytest.mark.parametrize(
    "address", ["MAILER-DAEMON@mx.client.example", "postmaster@client.example", "<>", ""]
)
def test_nothing_is_mailed_to_a_mail_system(address: str, world: World) -> None:
    sent = outbound.queue_mail(to=address, subject="Re: your notice", text="Thanks")
    assert sent.state == OutboundState.SUPPRESSED
    assert "mail system" in sent.reason
