"""Step (a): the raw message is stored byte for byte before anything else, once."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage

from rapport.mail import pipeline
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome, RawMessage
from rapport.mail.testing import build, deliver
from rapport.tickets.models import Ticket


def test_raw_bytes_are_kept_exactly_and_named_by_their_hash(mailbox: Mailbox) -> None:
    raw = build(text="Grüße aus Köln — the printer is on fire.\r\n")
    inbound = pipeline.receive(raw, transport="smtp", recipients=[mailbox.address], enqueue=False)
    assert inbound.state == InboundState.RECEIVED
    assert inbound.mailbox == mailbox
    digest = hashlib.sha256(raw).hexdigest()
    assert inbound.raw.sha256 == digest
    with default_storage.open(inbound.raw.path, "rb") as stored:
        assert stored.read() == raw
    assert digest in inbound.raw.path


def test_the_same_bytes_delivered_twice_are_one_delivery(mailbox: Mailbox) -> None:
    raw = build()
    first = pipeline.receive(raw, transport="smtp", mailbox=mailbox, enqueue=False)
    again = pipeline.receive(raw, transport="imap", mailbox=mailbox, enqueue=False)
    assert again.pk == first.pk
    assert RawMessage.objects.count() == 1
    pipeline.process(first.pk)
    pipeline.process(first.pk)  # processing again changes nothing
    assert Ticket.objects.count() == 1


def test_the_same_message_id_by_another_route_is_a_duplicate(mailbox: Mailbox) -> None:
    raw = build(message_id="<once@client.example>")
    first = deliver(raw, mailbox)
    # The same message, relayed with one more header: other bytes, same Message-ID.
    second = deliver(b"Received: from relay.example by mx\r\n" + raw, mailbox)
    assert first.outcome == Outcome.TICKET
    assert second.state == InboundState.IGNORED
    assert second.outcome == Outcome.DUPLICATE
    assert second.ticket_id == first.ticket_id
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 2


def test_a_file_cut_short_by_a_crash_is_written_again(mailbox: Mailbox) -> None:
    raw = build()
    digest = hashlib.sha256(raw).hexdigest()
    from django.core.files.base import ContentFile

    default_storage.save(f"mail/raw/{digest[:2]}/{digest}.eml", ContentFile(raw[:20]))
    inbound = pipeline.receive(raw, transport="smtp", mailbox=mailbox, enqueue=False)
    with default_storage.open(inbound.raw.path, "rb") as stored:
        assert stored.read() == raw
