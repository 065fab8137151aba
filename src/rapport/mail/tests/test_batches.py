"""Mail taken in by the batch, as the SMTP listener (a group commit), the IMAP poller
(a fetched chunk) and the worker (one task per batch) hand it over: one transaction
for the batch, a savepoint per message, durable before it is recorded."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.fast import enabled as fast_paths
from rapport.directory.models import Person
from rapport.mail import pipeline, store
from rapport.mail.actions import batches
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.testing import SUPPORT, build
from rapport.tickets.models import Attachment, Message, Ticket


def _deliveries(*raws: bytes) -> list[pipeline.Delivery]:
    return [pipeline.Delivery(raw, "smtp", recipients=[SUPPORT]) for raw in raws]


def _take_in(*raws: bytes) -> list[InboundMessage]:
    received = pipeline.receive_many(_deliveries(*raws), enqueue=False)
    return pipeline.process_many([inbound.pk for inbound in received])


def _with_attachment(sender: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {SUPPORT}\r\nSubject: VPN down\r\nMessage-ID: <att@globex>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nLog attached.\r\n"
        "--b\r\nContent-Type: text/plain; name=log.txt\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=log.txt\r\n\r\n"
        + base64.b64encode(b"error 42\n").decode()
        + "\r\n--b--\r\n"
    ).encode()


def test_a_message_failing_in_a_batch_is_quarantined_alone(mailbox: Mailbox) -> None:
    # Attachments cannot be written: a file sits where their folder must go.
    (Path(settings.MEDIA_ROOT) / "attachments").write_text("not a folder")
    opened, broken, answer = _take_in(
        build(subject="Printer on fire", message_id="<first@client.example>"),
        _with_attachment("Nina <nina@globex.example>"),
        build(subject="Re: Printer on fire", in_reply_to="<first@client.example>",
              text="Still burning.\n\nOn Monday, Support wrote:\n> We are on it."),
    )  # fmt: skip
    assert opened.outcome == Outcome.TICKET
    assert broken.state == InboundState.QUARANTINED
    # A storage that refuses writes is named as such (core.files), not "unexpected".
    assert broken.reason.startswith("attachments: File storage cannot take files")
    assert broken.attempts == 1
    # The contact its earlier step made went with it; the messages around it stand.
    assert not Person.objects.filter(email="nina@globex.example").exists()
    assert Attachment.objects.count() == 0
    assert answer.outcome == Outcome.REPLY
    assert answer.ticket_id == opened.ticket_id
    assert Ticket.objects.count() == 1
    assert list(Message.objects.filter(ticket_id=opened.ticket_id).values_list(
        "body_text", flat=True).order_by("id")) == [
        "The printer on floor 2 is on fire.", "Still burning."
    ]  # fmt: skip


def test_a_batch_threads_within_itself_and_spots_repeats(mailbox: Mailbox) -> None:
    first = build(sender="Nina <nina@globex.example>", subject="VPN down",
                  message_id="<vpn@globex.example>")  # fmt: skip
    received = pipeline.receive_many(_deliveries(
        first,
        build(sender="nina@globex.example", subject="Re: VPN down",
              references="<vpn@globex.example>", text="It is back."),
        # Sent again with the same Message-ID (other bytes: a new Date and text).
        build(sender="nina@globex.example", subject="VPN down", text="Again?",
              message_id="<vpn@globex.example>"),
        build(sender="nina@globex.example", subject="Printer too"),
        first,  # the very same bytes twice in one batch: one delivery
    ), enqueue=False)  # fmt: skip
    assert received[4].pk == received[0].pk
    opened, reply, repeat, second = pipeline.process_many([r.pk for r in received])
    assert opened.outcome == Outcome.TICKET
    assert (reply.outcome, reply.ticket_id) == (Outcome.REPLY, opened.ticket_id)
    # Another message reusing the Message-ID is kept and placed like any other.
    assert (repeat.state, repeat.outcome) == (InboundState.PROCESSED, Outcome.TICKET)
    assert repeat.ticket_id != opened.ticket_id
    assert second.outcome == Outcome.TICKET and second.ticket_id != opened.ticket_id
    assert InboundMessage.objects.count() == 4
    # The unknown sender became one contact, the requester of both tickets.
    nina = Person.objects.get(email__iexact="nina@globex.example")
    assert set(Ticket.objects.values_list("requester_id", flat=True)) == {nina.pk}


def _mixed(batch: int, n: int) -> list[bytes]:
    """Half new tickets, half replies to them by In-Reply-To."""
    raws = []
    for i in range(n // 2):
        first_id = f"<b{batch}-{i}@client.example>"
        raws.append(build(subject=f"Toner {batch}-{i}", message_id=first_id))
        raws.append(build(subject="Re: toner", in_reply_to=first_id, text="Thanks!"))
    return raws


# Alone, a new ticket takes 26 statements and a reply 25 (test_ingest_queries);
# five of each in one batch take 150 (135 before the thread lock's 3 per pair).
MOST_FOR_TEN = 150 if fast_paths() else 158  # fast paths off: no process copy


def test_a_batch_shares_its_lookups_and_commit(mailbox: Mailbox) -> None:
    _take_in(*_mixed(0, 2))  # warm the reference data
    counts = []
    for batch in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            results = _take_in(*_mixed(batch, 10))
        assert [r.outcome for r in results] == [Outcome.TICKET, Outcome.REPLY] * 5
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= MOST_FOR_TEN, counts


def test_the_files_of_a_batch_are_durable_before_they_are_recorded(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        events.append(("sync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        events.append(("sql", sql))
        return execute(sql, params, many, context)

    monkeypatch.setattr(os, "fsync", fsync)
    raws = [build(subject=f"Durable {i}") for i in range(3)]
    with connection.execute_wrapper(record):
        received = pipeline.receive_many(_deliveries(*raws), enqueue=False)
    first_insert = next(
        i for i, (kind, sql) in enumerate(events) if kind == "sql" and "INSERT" in sql
    )
    synced = {path for kind, path in events[:first_insert] if kind == "sync"}
    for inbound in received:
        local = Path(store.default_storage.path(inbound.raw.path))
        assert str(local) in synced
        assert str(local.parent) in synced  # the directory entry of the new file
        assert local.read_bytes() in raws


def test_big_mail_splits_a_batch_and_threading_spans_the_parts(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parsed messages of a batch sit in memory together: past BATCH_BYTES the batch
    # is placed in parts, each its own transaction.
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    opened, answer = _take_in(
        build(subject="Printer on fire", message_id="<part1@client.example>"),
        build(subject="Re: Printer on fire", in_reply_to="<part1@client.example>",
              text="Out now."),
    )  # fmt: skip
    assert opened.outcome == Outcome.TICKET
    assert (answer.outcome, answer.ticket_id) == (Outcome.REPLY, opened.ticket_id)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_receipt_commit_is_synced_before_the_acknowledgement(mailbox: Mailbox) -> None:
    """The listener answers 250 once `receive_many` returns: the receipt's commit must
    be on disk by then, not only in the operating system's cache."""
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        received = pipeline.receive_many(_deliveries(build(subject="Synced")), enqueue=False)
    assert InboundMessage.objects.filter(pk=received[0].pk).exists()
    if connection.vendor == "sqlite":
        inserts = [i for i, sql in enumerate(statements) if sql.startswith("INSERT")]
        full = statements.index("PRAGMA synchronous=FULL")
        normal = statements.index("PRAGMA synchronous=NORMAL")
        assert full < inserts[0] and inserts[-1] < normal
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL again for everything else
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
