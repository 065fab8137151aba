"""Big part bodies are decoded to files while the message streams past the parser;
the result is the same as parsing it whole."""

from __future__ import annotations

import base64
import io
import os
import re
import tempfile
from pathlib import Path

import pytest

from rapport.mail import spool
from rapport.mail.models import Mailbox, Outcome
from rapport.mail.parse import ParsedMail, parse
from rapport.mail.testing import SUPPORT, deliver
from rapport.mail.tests.test_real_world_corpus import corpus
from rapport.tickets.models import Attachment


def _parse_both(raw: bytes) -> tuple[ParsedMail, ParsedMail, spool.Spooler]:
    whole = parse(io.BytesIO(raw), fallback_id="x")
    spooler = spool.Spooler(io.BytesIO(raw))
    slim = spooler.run()
    streamed = parse(slim, fallback_id="x", spooled=frozenset(spooler.files))
    return whole, streamed, spooler


def _same(whole: ParsedMail, streamed: ParsedMail) -> None:
    assert streamed.subject == whole.subject
    assert streamed.from_address == whole.from_address
    assert (streamed.text or "").strip() == (whole.text or "").strip()
    assert (streamed.html or "").strip() == (whole.html or "").strip()
    assert [a.filename for a in streamed.attachments] == [a.filename for a in whole.attachments]
    for mine, theirs in zip(streamed.attachments, whole.attachments, strict=True):
        with mine.open() as handle:
            data = handle.read()
        if mine.content_type == "message/rfc822":
            # Parsed whole, an attached message is re-serialised; streamed, it is kept
            # as sent. Same message, up to folding and line ends.
            mine_text, their_text = re.sub(rb"\s+", b"", data), re.sub(rb"\s+", b"", theirs.data)
            n = min(300, len(mine_text), len(their_text))
            assert n > 20 and mine_text[:n] == their_text[:n]
        else:
            assert data.rstrip(b"\r\n") == theirs.data.rstrip(b"\r\n"), mine.filename


@pytest.mark.parametrize("name", [p.name for p in corpus()])
def test_streaming_agrees_with_parsing_whole_on_the_corpus(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spool every part body that is not tiny, so the corpus exercises the streaming path.
    monkeypatch.setattr(spool, "PART_LIMIT", 64)
    raw = next(p for p in corpus() if p.name == name).read_bytes()
    whole, streamed, spooler = _parse_both(raw)
    try:
        _same(whole, streamed)
    finally:
        spooler.cleanup()


def big_message(payload: bytes, text: str = "Dump attached.") -> bytes:
    encoded = base64.encodebytes(payload).decode().replace("\n", "\r\n")
    return (
        f"From: contact@example.com\r\nTo: {SUPPORT}\r\nSubject: Core dump\r\n"
        "Message-ID: <big@client.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
        f"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
        f"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{text}</p>\r\n"
        "--inner--\r\n\r\n"
        "--outer\r\nContent-Type: application/octet-stream; name=core.bin\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename=core.bin\r\n\r\n{encoded}"
        "--outer--\r\n"
    ).encode()


def test_a_large_attachment_is_stored_whole(mailbox: Mailbox) -> None:
    payload = os.urandom(spool.LARGE + 1024 * 1024)
    raw = big_message(payload)
    assert len(raw) > spool.LARGE
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.TICKET, inbound.reason
    assert inbound.message is not None
    assert inbound.message.body_text == "Dump attached."
    attachment = Attachment.objects.get()
    assert attachment.size == len(payload)
    assert attachment.file.read() == payload
    # The decoded part went to a temporary file, removed once stored.
    leftovers = Path(tempfile.gettempdir()).glob("rapport-part-*")
    assert not [p for p in leftovers if p.stat().st_size == len(payload)]


def test_a_forged_spool_header_reads_no_file_of_ours(mailbox: Mailbox, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not leak")
    raw = (
        f"From: contact@example.com\r\nTo: {SUPPORT}\r\nSubject: Sneaky\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
        "--b\r\nContent-Type: application/octet-stream; name=x.bin\r\n"
        f"{spool.MARKER}: {secret}\r\n\r\n\r\n--b--\r\n"
    ).encode()
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.TICKET
    assert not any(b"do not leak" in a.file.read() for a in Attachment.objects.all())
