"""The SMTP/LMTP listener over loopback with smtplib: 250 only once the message is
stored, 550 for addresses we do not serve, 451 (try later) when storing fails."""

from __future__ import annotations

import concurrent.futures
import smtplib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from rapport.mail import pipeline
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.smtp import DeliveryHandler, Listener
from rapport.mail.testing import SUPPORT, build, support_mailbox
from rapport.testing import build_world

# The listener answers from its own thread and connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox() -> Mailbox:
    return support_mailbox(build_world())


def _listen(lmtp: bool) -> Iterator[int]:
    port = free_port()
    handler = DeliveryHandler(enqueue=False)
    listener = Listener(handler, hostname="127.0.0.1", port=port, lmtp=lmtp)
    listener.start()
    try:
        yield port
    finally:
        listener.stop()
        handler.close()


@pytest.fixture
def smtp_port(mailbox: Mailbox) -> Iterator[int]:
    yield from _listen(lmtp=False)


@pytest.fixture
def lmtp_port(mailbox: Mailbox) -> Iterator[int]:
    yield from _listen(lmtp=True)


def test_delivery_is_acknowledged_after_it_is_stored(smtp_port: int, mailbox: Mailbox) -> None:
    raw = build(subject="Sent over SMTP")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
        code, _ = client.ehlo()
        assert code == 250
        refused = client.sendmail("contact@example.com", [SUPPORT], raw)
    assert refused == {}
    inbound = InboundMessage.objects.get()
    assert inbound.transport == "smtp"
    assert inbound.envelope_from == "contact@example.com"
    assert inbound.mailbox == mailbox
    assert inbound.state == InboundState.RECEIVED
    with open(Path(settings.MEDIA_ROOT) / inbound.raw.path, "rb") as stored:
        assert stored.read() == raw
    processed = pipeline.process(inbound.pk)
    assert processed.outcome == Outcome.TICKET
    assert processed.ticket is not None
    assert processed.ticket.subject == "Sent over SMTP"


def test_unknown_recipients_are_refused_at_rcpt(smtp_port: int) -> None:
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        client.sendmail("a@example.com", ["nobody@rapport.test"], build(to="nobody@x"))
    assert refused.value.recipients["nobody@rapport.test"][0] == 550
    assert InboundMessage.objects.count() == 0


def test_storage_failure_answers_try_again_later(smtp_port: int) -> None:
    (Path(settings.MEDIA_ROOT) / "mail").write_text("a file where the store's folder goes")
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client,
        pytest.raises(smtplib.SMTPDataError) as error,
    ):
        client.sendmail("contact@example.com", [SUPPORT], build())
    assert error.value.smtp_code == 451
    assert InboundMessage.objects.count() == 0


def test_eight_bit_and_smtputf8_mail(smtp_port: int) -> None:
    raw = build(sender="contact@example.com", subject="Grüße", text="Привет, принтер горит.")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
        client.sendmail("contact@example.com", [SUPPORT], raw, mail_options=["SMTPUTF8"])
    inbound = pipeline.process(InboundMessage.objects.get().pk)
    assert inbound.message is not None
    assert "принтер горит" in inbound.message.body_text


def test_too_large_a_message_is_refused(smtp_port: int, settings: object) -> None:
    limit = settings.RAPPORT_MAIL_MAX_BYTES  # type: ignore[attr-defined]
    raw = build(text="x" * 76 + "\n") + b"y" * (limit + 10)
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client,
        # smtplib announces the size (RFC 1870): refused before a byte is sent.
        pytest.raises(smtplib.SMTPSenderRefused) as error,
    ):
        client.sendmail("contact@example.com", [SUPPORT], raw)
    assert error.value.smtp_code == 552
    assert InboundMessage.objects.count() == 0


def test_lmtp(lmtp_port: int) -> None:
    with smtplib.LMTP("127.0.0.1", lmtp_port, timeout=10) as client:
        refused = client.sendmail("contact@example.com", [SUPPORT], build(subject="By LMTP"))
    assert refused == {}
    inbound = pipeline.process(InboundMessage.objects.get().pk)
    assert inbound.ticket is not None
    assert inbound.ticket.subject == "By LMTP"


def test_lmtp_answers_data_once_per_recipient(lmtp_port: int, mailbox: Mailbox) -> None:
    from rapport.mail import actions

    actions.create_mailbox(None, address="billing@rapport.test", provider=mailbox.provider_party)
    with socket.create_connection(("127.0.0.1", lmtp_port), timeout=10) as conn:
        replies = conn.makefile("rb")

        def say(line: str) -> None:
            conn.sendall(line.encode() + b"\r\n")

        def answer() -> bytes:
            line = replies.readline()
            while line[3:4] == b"-":  # a multi-line reply: read to its last line
                line = replies.readline()
            return line

        assert answer().startswith(b"220")
        say("LHLO client.example")
        assert answer().startswith(b"250")
        say("MAIL FROM:<contact@example.com>")
        assert answer().startswith(b"250")
        for rcpt in (SUPPORT, "billing@rapport.test"):
            say(f"RCPT TO:<{rcpt}>")
            assert answer().startswith(b"250")
        say("DATA")
        assert answer().startswith(b"354")
        conn.sendall(build(subject="Two mailboxes") + b".\r\n")
        assert answer().startswith(b"250 2.0.0 Stored")
        assert answer().startswith(b"250 2.0.0 Stored")
        say("QUIT")
    assert InboundMessage.objects.count() == 1


def test_deliveries_arriving_together_are_stored_together(mailbox: Mailbox) -> None:
    """A group commit: what arrives while the database thread is busy is stored as
    one batch (one sync, one transaction), and each client still gets its own 250."""
    port = free_port()
    handler = DeliveryHandler(enqueue=False)
    listener = Listener(handler, hostname="127.0.0.1", port=port)
    listener.start()
    busy = threading.Event()
    clients = [smtplib.SMTP("127.0.0.1", port, timeout=30) for _ in range(5)]
    try:
        for client in clients:
            client.ehlo()
            client.mail("contact@example.com")
            client.rcpt(SUPPORT)
        # Keep the database thread busy until the five deliveries wait for it.
        handler._db.submit(busy.wait, 30)
        with concurrent.futures.ThreadPoolExecutor(5) as pool:
            sent = [
                pool.submit(client.data, build(subject=f"Together {i}"))
                for i, client in enumerate(clients)
            ]
            deadline = time.monotonic() + 30
            while len(handler._waiting) < 5:
                assert time.monotonic() < deadline, "the deliveries never arrived"
                time.sleep(0.01)  # waiting for the clients' DATA to reach the handler
            busy.set()
            answers = [future.result() for future in sent]
    finally:
        busy.set()
        for client in clients:
            client.close()
        listener.stop()
        handler.close()
    assert [code for code, _ in answers] == [250] * 5
    stored_as = {int(text.split()[-1]) for _, text in answers}
    inbound = InboundMessage.objects.order_by("pk")
    assert stored_as == set(inbound.values_list("pk", flat=True))
    assert {m.received_at for m in inbound} == {inbound[0].received_at}  # one batch
    subjects = {pipeline.process(m.pk).subject for m in inbound}
    assert subjects == {f"Together {i}" for i in range(5)}
