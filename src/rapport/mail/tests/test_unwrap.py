"""Files hidden inside a message: Outlook's winmail.dat (TNEF) and uuencoded blocks in
the text become the files a reader expects, through the whole pipeline; what does
not decode is kept as it came."""

from __future__ import annotations

import base64
import binascii
import struct

from rapport.mail.models import InboundState, Mailbox, Outcome
from rapport.mail.testing import deliver
from rapport.mail.tests.test_parse import first_message, raw
from rapport.tickets.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def _attribute(level: int, attribute: int, data: bytes) -> bytes:
    """One TNEF attribute: level, id, length, data, and its 16-bit checksum."""
    return (
        struct.pack("<BII", level, attribute, len(data))
        + data
        + struct.pack("<H", sum(data) & 0xFFFF)
    )


def winmail(body: str, files: list[tuple[str, bytes]]) -> bytes:
    """A TNEF stream as Outlook writes it (MS-OXTNEF): the message's attributes, then
    per file the attributes that start it, name it and carry its bytes."""
    out = struct.pack("<IH", 0x223E9F78, 1)  # signature, legacy key
    out += _attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _attribute(1, 0x00069007, struct.pack("<II", 1252, 437))  # attOemCodepage
    out += _attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
    out += _attribute(1, 0x0002800C, body.encode("cp1252"))  # attBody
    for name, data in files:
        out += _attribute(2, 0x00069002, b"\x01\x00" + b"\xff" * 4 + b"\0" * 8)  # attAttachRendData
        out += _attribute(2, 0x00018010, name.encode("cp1252") + b"\0")  # attAttachTitle
        out += _attribute(2, 0x0006800F, data)  # attAttachData
    return out


def outlook_mail(container: bytes, *, text: str | None = "Please see the attached.") -> bytes:
    parts = ""
    if text is not None:
        parts += f"--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{text}\r\n"
    parts += (
        '--b\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="winmail.dat"\r\n\r\n'
        + base64.encodebytes(container).decode()
        + "\r\n--b--\r\n"
    )
    return raw(
        "Subject: Invoice query\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n",
        parts,
    )


def files() -> dict[str, bytes]:
    return {a.filename: a.file.read() for a in Attachment.objects.order_by("id")}


def test_winmail_dat_becomes_its_files(mailbox: Mailbox) -> None:
    container = winmail("Body in TNEF", [("invoice.txt", b"Total: 42 EUR"), ("shot.png", PNG)])
    inbound = deliver(outlook_mail(container), mailbox)
    assert inbound.outcome == Outcome.TICKET, inbound.reason
    _, text = first_message(inbound)
    assert "Please see the attached." in text
    assert files() == {"invoice.txt": b"Total: 42 EUR", "shot.png": PNG}
    assert Attachment.objects.get(filename="shot.png").content_type == "image/png"


def test_a_message_that_is_only_winmail_dat_takes_its_body_from_it(mailbox: Mailbox) -> None:
    container = winmail("The printer on floor 2 jams.", [("log.txt", b"E-42")])
    _, text = first_message(deliver(outlook_mail(container, text=None), mailbox))
    assert "The printer on floor 2 jams." in text
    assert files() == {"log.txt": b"E-42"}


def test_a_winmail_dat_that_does_not_decode_is_kept_whole(mailbox: Mailbox) -> None:
    broken = b"\x78\x9f\x3e\x22" + b"not really TNEF at all"
    inbound = deliver(outlook_mail(broken), mailbox)
    assert inbound.state == InboundState.PROCESSED, inbound.reason
    assert files() == {"winmail.dat": broken}


def test_uuencoded_block_in_the_text_becomes_a_file(mailbox: Mailbox) -> None:
    data = b"col1,col2\n1,2\n" * 10
    lines = "".join(binascii.b2a_uu(data[i : i + 45]).decode() for i in range(0, len(data), 45))
    block = f"begin 644 export.csv\r\n{lines}`\r\nend\r\n"
    body = f"Here is the export.\r\n\r\n{block}\r\nThanks, Ann\r\n"
    _, text = first_message(deliver(raw("Subject: export\n", body), mailbox))
    assert "Here is the export." in text and "Thanks, Ann" in text
    assert "begin 644" not in text and "[attached: export.csv]" in text
    assert files() == {"export.csv": data}


def test_text_that_only_looks_like_uuencode_is_left_alone(mailbox: Mailbox) -> None:
    body = "begin 644 notes.txt\r\nthis line is not uuencoded at all!\r\nend\r\n"
    _, text = first_message(deliver(raw("Subject: odd\n", body), mailbox))
    assert "this line is not uuencoded at all!" in text
    assert not Attachment.objects.exists()
