"""Only the same message is a duplicate: the same bytes, or the same content relayed
with other trace headers. A different message that reuses a known Message-ID (a
broken mailer, a form generator) is kept and placed like any other."""

from __future__ import annotations

from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.testing import build, deliver
from rapport.tickets.models import Ticket


def test_another_message_reusing_a_message_id_is_kept(mailbox: Mailbox) -> None:
    first = deliver(build(subject="Printer", text="Jammed.", message_id="<same@form.example>"),
                    mailbox)  # fmt: skip
    second = deliver(build(subject="Scanner", text="Broken.", message_id="<same@form.example>"),
                     mailbox)  # fmt: skip
    assert first.outcome == second.outcome == Outcome.TICKET
    assert first.ticket_id != second.ticket_id
    assert Ticket.objects.count() == 2
    # A reply to the first still threads to it.
    reply = deliver(build(subject="Re: Printer", in_reply_to="<same@form.example>"), mailbox)
    assert reply.ticket_id == first.ticket_id


def test_the_very_same_bytes_are_one_delivery(mailbox: Mailbox) -> None:
    raw = build(message_id="<once@client.example>")
    assert deliver(raw, mailbox).pk == deliver(raw, mailbox).pk
    assert InboundMessage.objects.count() == 1


def test_the_same_message_relayed_by_another_route_is_a_duplicate(mailbox: Mailbox) -> None:
    raw = build(message_id="<relayed@client.example>")
    first = deliver(raw, mailbox)
    relayed = b"Received: from relay.example by mx; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
    relayed += b"Delivered-To: support@rapport.test\r\n" + raw
    second = deliver(relayed, mailbox)
    assert (second.state, second.outcome) == (InboundState.IGNORED, Outcome.DUPLICATE)
    assert second.ticket_id == first.ticket_id
    assert Ticket.objects.count() == 1
