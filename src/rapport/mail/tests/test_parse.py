"""Step (b): whatever the sender's software did, the text comes out readable."""

from __future__ import annotations

import base64

import pytest

from rapport.mail.models import InboundState, Mailbox, Outcome
from rapport.mail.testing import SUPPORT, deliver
from rapport.tickets.models import Attachment


def raw(headers: str, body: bytes | str = b"") -> bytes:
    head = f"From: Contact <contact@example.com>\nTo: {SUPPORT}\nMessage-ID: <p@x>\n{headers}"
    data = body.encode() if isinstance(body, str) else body
    return head.replace("\n", "\r\n").encode() + b"\r\n" + data


def first_message(inbound: object) -> tuple[str, str]:
    message = inbound.message  # type: ignore[attr-defined]
    assert message is not None, inbound.reason  # type: ignore[attr-defined]
    return message.ticket.subject, message.body_text


CHARSETS = {
    "declared latin-1": (
        raw(
            "Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n", "Grüße".encode("latin-1")
        ),
        "Grüße",
    ),
    "undeclared utf-8": (raw("Subject: x\n", "Grüße aus Köln".encode()), "Grüße aus Köln"),
    "undeclared windows-1252": (raw("Subject: x\n", "café – 5 €".encode("cp1252")), "café – 5 €"),
    "unknown charset name": (
        raw("Subject: x\nContent-Type: text/plain; charset=x-no-such\n", "naïve".encode()),
        "naïve",
    ),
    "ascii declared, utf-8 sent": (
        raw("Subject: x\nContent-Type: text/plain; charset=us-ascii\n", "Łódź".encode()),
        "Łódź",
    ),
    "iso-2022-jp": (
        raw(
            "Subject: x\nContent-Type: text/plain; charset=iso-2022-jp\n",
            "プリンターが燃えている".encode("iso-2022-jp"),
        ),
        "プリンターが燃えている",
    ),
    "koi8-r quoted-printable": (
        raw(
            "Subject: x\nContent-Type: text/plain; charset=koi8-r\n"
            "Content-Transfer-Encoding: quoted-printable\n",
            "=F0=D2=C9=D7=C5=D4",
        ),
        "Привет",
    ),
}


@pytest.mark.parametrize("case", sorted(CHARSETS))
def test_charsets(case: str, mailbox: Mailbox) -> None:
    message, expected = CHARSETS[case]
    _, text = first_message(deliver(message, mailbox))
    assert expected in text


def test_rfc2047_subject_and_rfc2231_filename(mailbox: Mailbox) -> None:
    body = (
        "--b\nContent-Type: text/plain\n\nSee the file.\n"
        "--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        "Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf\n\n"
        + base64.b64encode(b"%PDF-1.4 fake").decode()
        + "\n--b--\n"
    )
    message = raw(
        "Subject: =?UTF-8?B?RHJ1Y2tlciBicmVubnQ=?= =?ISO-8859-1?Q?_gr=FC=DFe?=\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n",
        body.replace("\n", "\r\n"),
    )
    subject, _ = first_message(deliver(message, mailbox))
    assert subject == "Drucker brennt grüße"
    assert Attachment.objects.get().filename == "Rechnung März.pdf"


def test_html_only_mail_is_sanitised(mailbox: Mailbox) -> None:
    message = raw(
        "Subject: x\nContent-Type: text/html; charset=utf-8\n",
        '<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">click</a><img src="https://x.example/p.png">',
    )
    inbound = deliver(message, mailbox)
    assert inbound.message is not None
    html = inbound.message.body_html
    assert "<b>there</b>" in html
    for bad in ("<script", "onclick", "javascript:"):
        assert bad not in html
        assert bad not in inbound.full_html


def test_broken_boundary_keeps_the_text(mailbox: Mailbox) -> None:
    # The boundary declared is never used, and the closing delimiter is missing.
    message = raw(
        "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=NOPE\n",
        "--other\r\nContent-Type: text/plain\r\n\r\nThe printer is on fire.\r\n",
    )
    inbound = deliver(message, mailbox)
    assert inbound.state == InboundState.PROCESSED, inbound.reason
    assert inbound.message is not None
    assert "The printer is on fire." in inbound.message.body_text


def test_nested_message_is_kept_as_an_attachment(mailbox: Mailbox) -> None:
    inner = "From: boss@example.com\r\nSubject: Original problem\r\n\r\nIt broke.\r\n"
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nForwarding this.\r\n"
        f"--b\r\nContent-Type: message/rfc822\r\n\r\n{inner}--b--\r\n"
    )
    message = raw(
        "Subject: Fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n", body
    )
    _, text = first_message(deliver(message, mailbox))
    assert "Forwarding this." in text
    attachment = Attachment.objects.get()
    assert attachment.filename == "Original problem.eml"
    assert attachment.content_type == "message/rfc822"
    assert b"It broke." in attachment.file.read()


def test_uuencoded_part_is_decoded(mailbox: Mailbox) -> None:
    import binascii

    data = b"hello from 1995\n"
    uu = "begin 644 old.txt\r\n" + binascii.b2a_uu(data).decode() + "`\r\nend\r\n"
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nSee file.\r\n"
        "--b\r\nContent-Type: application/octet-stream; name=old.txt\r\n"
        "Content-Transfer-Encoding: x-uuencode\r\n"
        f"Content-Disposition: attachment; filename=old.txt\r\n\r\n{uu}--b--\r\n"
    )
    message = raw(
        "Subject: uu\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n", body
    )
    deliver(message, mailbox)
    assert Attachment.objects.get().file.read() == data


def test_garbage_headers_and_nul_bytes(mailbox: Mailbox) -> None:
    message = (
        b"From: =?x-unknown?Q?Sch=F6n?= <contact@example.com>\r\nTo: "
        + SUPPORT.encode()
        + b"\r\nSubject: =?utf-8?B?broken base64?= \xff\xfe\r\nMessage-ID: <<<>>>\r\n"
        + b'Content-Type: text/plain; charset="utf-8\r\n\r\nBody with a NUL \x00 byte.\r\n'
    )
    inbound = deliver(message, mailbox)
    assert inbound.state == InboundState.PROCESSED, inbound.reason
    assert inbound.message is not None
    assert "Body with a NUL" in inbound.message.body_text
    assert "\x00" not in inbound.message.body_text


def test_empty_body_with_attachment_only(mailbox: Mailbox) -> None:
    body = (
        "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=shot.png\r\n\r\n"
        + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()
        + "\r\n--b--\r\n"
    )
    message = raw(
        "Subject: screenshot\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n", body
    )
    inbound = deliver(message, mailbox)
    assert inbound.outcome == Outcome.TICKET
    assert Attachment.objects.get().content_type == "image/png"
