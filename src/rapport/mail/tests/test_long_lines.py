"""Lines longer than RFC 5321's 998 octets are accepted by the listener (real mail
systems send them: HTML on one line, unwrapped base64) and stored byte for byte, up
to RAPPORT_MAIL_MAX_LINE (1 MiB by default, README)."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from django.conf import settings

from rapport.mail import pipeline, store
from rapport.mail.models import InboundMessage, Mailbox, Outcome
from rapport.mail.smtp import DeliveryHandler, Listener
from rapport.mail.testing import SUPPORT
from rapport.mail.tests.test_smtp_listener import free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_HTML = "<p>" + "Der Drucker im zweiten Stock brennt. " * 2000 + "</p>"  # ~74 kB, one line


@pytest.fixture
def smtp_port(mailbox: Mailbox) -> Iterator[int]:
    handler = DeliveryHandler(enqueue=False)
    port = free_port()
    listener = Listener(handler, hostname="127.0.0.1", port=port)
    listener.start()
    try:
        yield port
    finally:
        listener.stop()
        handler.close()


def _raw(line: str) -> bytes:
    return (
        "From: contact@example.com\r\nTo: support@rapport.test\r\nSubject: Long line\r\n"
        "Message-ID: <long@client.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n" + line + "\r\n"
    ).encode()


def test_a_line_over_998_bytes_is_accepted_and_kept_byte_for_byte(smtp_port: int) -> None:
    raw = _raw(LONG_HTML)
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        refused = client.sendmail("contact@example.com", [SUPPORT], raw)
    assert refused == {}
    inbound = InboundMessage.objects.get()
    assert store.read_raw(inbound.raw.path) == raw
    placed = pipeline.process(inbound.pk)
    assert placed.outcome == Outcome.TICKET
    assert "zweiten Stock brennt" in placed.full_text


def test_a_line_beyond_the_limit_is_refused(smtp_port: int) -> None:
    raw = _raw("x" * (settings.RAPPORT_MAIL_MAX_LINE + 10))
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client,
        pytest.raises(smtplib.SMTPDataError) as error,
    ):
        client.sendmail("contact@example.com", [SUPPORT], raw)
    assert error.value.smtp_code == 500
    assert InboundMessage.objects.count() == 0


def test_a_notice_from_the_null_sender_without_from_is_a_bounce(smtp_port: int) -> None:
    raw = b"To: support@rapport.test\r\nSubject: Returned\r\nMessage-ID: <n1@mx.example>\r\n"
    raw += b"\r\nGone.\r\n"
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        client.sendmail("<>", [SUPPORT], raw)
    inbound = pipeline.process(InboundMessage.objects.get().pk)
    assert inbound.envelope_from == "<>"
    assert inbound.outcome == Outcome.BOUNCE
