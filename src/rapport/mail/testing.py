"""Helpers for mail tests: build messages the way real mail clients shape them."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from django.utils import timezone

from rapport.mail import actions, pipeline
from rapport.mail.models import InboundMessage, Mailbox
from rapport.testing import World

SUPPORT = "support@rapport.test"


def support_mailbox(world: World, **fields: Any) -> Mailbox:
    return actions.create_mailbox(
        None, address=SUPPORT, provider=world.support.party, name="Rapport Support", **fields
    )


def build(
    *,
    sender: str = "contact@example.com",
    to: str = SUPPORT,
    subject: str = "Printer on fire",
    text: str | None = "The printer on floor 2 is on fire.",
    html: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    if text is not None:
        msg.set_content(text)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    return msg.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire


def deliver(raw: bytes, mailbox: Mailbox | None = None) -> InboundMessage:
    """Receive and process one message in this process, as the worker would."""
    inbound = pipeline.receive(raw, transport="file", mailbox=mailbox, enqueue=False)
    return pipeline.process(inbound.pk)


class SmtpSink:
    """A real SMTP server on loopback that keeps what it is sent (aiosmtpd)."""

    def __init__(self) -> None:
        import email
        import socket

        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email

        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
