"""Step (c): bounces, auto-replies, mailing lists and spam never open a ticket nor get
an answer, whoever sends them."""

from __future__ import annotations

import pytest

from rapport.mail.models import InboundState, Mailbox, OutboundMessage, Outcome
from rapport.mail.testing import SUPPORT, build, deliver
from rapport.tickets.models import Message, Ticket


def dsn(original_id: str = "<sent-by-us@rapport.localhost>") -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464)."""
    return f"""\
From: MAILER-DAEMON@mx.client.example (Mail Delivery System)
To: {SUPPORT}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{original_id.strip("<>")}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.client.example

Final-Recipient: rfc822; gone@client.example
Action: failed
Status: 5.1.1

--B1
Content-Type: text/rfc822-headers

Message-ID: {original_id}
Subject: [#1] Printer on fire

--B1--
""".replace("\n", "\r\n").encode()


NOT_TICKETS = {
    "dsn": (dsn(), Outcome.BOUNCE),
    "mailer-daemon notice": (
        build(sender="MAILER-DAEMON@mx.example", subject="failure notice", text="Sorry."),
        Outcome.BOUNCE,
    ),
    "x-failed-recipients": (
        build(sender="postmaster@mx.example", subject="Hi", headers={"X-Failed-Recipients": "a@b"}),
        Outcome.BOUNCE,
    ),
    "auto-submitted": (
        build(subject="Re: Printer", headers={"Auto-Submitted": "auto-replied"}),
        Outcome.AUTO_REPLY,
    ),
    "x-autoreply": (build(headers={"X-Autoreply": "yes"}), Outcome.AUTO_REPLY),
    "x-autorespond": (build(headers={"X-Autorespond": "vacation"}), Outcome.AUTO_REPLY),
    "precedence bulk": (build(headers={"Precedence": "bulk"}), Outcome.AUTO_REPLY),
    "precedence junk": (build(headers={"Precedence": "junk"}), Outcome.AUTO_REPLY),
    "outlook out of office": (
        build(
            subject="Automatic reply: Printer on fire",
            headers={"X-Auto-Response-Suppress": "All, OOF"},
        ),
        Outcome.AUTO_REPLY,
    ),
    "vacation subject": (build(subject="Out of Office: back on Monday"), Outcome.AUTO_REPLY),
    "german vacation subject": (build(subject="Abwesenheitsnotiz: Drucker"), Outcome.AUTO_REPLY),
    "precedence list": (build(headers={"Precedence": "list"}), Outcome.MAILING_LIST),
    "list-id": (build(headers={"List-Id": "<users.lists.example>"}), Outcome.MAILING_LIST),
    "from our own mailbox": (build(sender=SUPPORT), Outcome.LOOP),
}


@pytest.mark.parametrize("case", sorted(NOT_TICKETS))
def test_never_a_ticket(case: str, mailbox: Mailbox) -> None:
    raw, outcome = NOT_TICKETS[case]
    inbound = deliver(raw, mailbox)
    assert inbound.state == InboundState.IGNORED, inbound.reason
    assert inbound.outcome == outcome
    assert inbound.reason
    assert Ticket.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


@pytest.mark.parametrize(
    "headers", [{"X-Spam-Flag": "YES"}, {"X-Spam-Status": "Yes, score=9.1"}], ids=str
)
def test_mail_an_upstream_filter_flagged_is_held_as_spam(
    headers: dict[str, str], mailbox: Mailbox
) -> None:
    inbound = deliver(build(headers=headers), mailbox)
    assert (inbound.state, inbound.outcome) == (InboundState.SPAM, Outcome.SPAM)
    assert Ticket.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_auto_submitted_no_is_a_person_writing(mailbox: Mailbox) -> None:
    inbound = deliver(build(headers={"Auto-Submitted": "no"}), mailbox)
    assert inbound.outcome == Outcome.TICKET


def test_an_auto_reply_to_a_ticket_adds_nothing_to_it(mailbox: Mailbox) -> None:
    ticket = deliver(build(), mailbox).ticket
    assert ticket is not None
    auto = deliver(
        build(
            subject=f"Automatic reply: [#{ticket.pk}] Printer on fire",
            headers={"Auto-Submitted": "auto-replied"},
        ),
        mailbox,
    )
    assert auto.state == InboundState.IGNORED
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_a_bounce_marks_the_mail_we_sent_as_bounced(mailbox: Mailbox) -> None:
    ticket = deliver(build(), mailbox).ticket
    assert ticket is not None
    from rapport.mail import outbound

    sent = outbound.queue_mail(to="gone@client.example", subject="x", text="y", ticket=ticket)
    bounce = deliver(dsn(f"<{sent.rfc_id}>"), mailbox)
    assert bounce.outcome == Outcome.BOUNCE
    assert bounce.ticket_id == ticket.pk
    sent.refresh_from_db()
    assert sent.state == "bounced"
