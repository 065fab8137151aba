"""Files hidden inside a message's parts: Outlook's winmail.dat (TNEF) and uuencoded
blocks pasted into a plain-text body.

Both are still sent by real mail systems: Outlook with rich text to a non-Exchange
address wraps the body and every attachment into one `application/ms-tnef` part,
and old tools paste `begin 644 name … end` into the text. A reader expects the
files themselves. TNEF is decoded by `tnefparse`; uuencode with `binascii`, the
standard library's own decoder. Anything that does not decode stays as it came
(the raw message is stored in any case), so nothing is lost either way.
"""

from __future__ import annotations

import binascii
import logging
import mimetypes
import re

from rapport.mail.parse import MAX_ATTACHMENTS, ParsedAttachment, _safe_name, decode_text

log = logging.getLogger(__name__)

TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
# Bigger containers are kept whole rather than read into memory to be unpacked.
MAX_TNEF = 25 * 1024 * 1024
_UU_BLOCK = re.compile(
    r"^begin(?:-base64)? [0-7]{3,4} (?P<name>[^\r\n]+)\r?\n(?P<body>.*?)^end[ \t]*$\r?\n?",
    re.MULTILINE | re.DOTALL,
)


def expand(
    text: str | None, html: str | None, attachments: list[ParsedAttachment]
) -> tuple[str | None, str | None, list[ParsedAttachment]]:
    """The body and files with TNEF containers and uuencoded blocks opened up."""
    files: list[ParsedAttachment] = []
    for attachment in attachments:
        if _is_tnef(attachment):
            opened = _open_tnef(attachment)
            if opened is not None:
                body, html_body, inner = opened
                if text is None and html is None:
                    text, html = body, html_body
                files.extend(inner)
                continue
        files.append(attachment)
    if text and "begin " in text:
        text, found = _uudecode_blocks(text)
        files.extend(found)
    return text, html, files[:MAX_ATTACHMENTS]


def _is_tnef(attachment: ParsedAttachment) -> bool:
    return (
        attachment.content_type in TNEF_TYPES or attachment.filename.lower() == "winmail.dat"
    ) and attachment.size <= MAX_TNEF


def _open_tnef(
    attachment: ParsedAttachment,
) -> tuple[str | None, str | None, list[ParsedAttachment]] | None:
    from tnefparse import TNEF  # only messages from Outlook pay for the import

    with attachment.open() as handle:
        data = handle.read()
    try:
        tnef = TNEF(data)
    except Exception as error:  # a container its own decoder refuses: keep it whole
        log.info("winmail.dat kept as it is: %s", error)
        return None
    inner: list[ParsedAttachment] = []
    for number, item in enumerate(tnef.attachments, start=1):
        try:
            name = item.long_filename() or ""
        except Exception:
            name = ""
        name = _safe_name(name or getattr(item, "name", "") or f"winmail-{number}.bin")
        content = item.data if isinstance(item.data, bytes) else b""
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        inner.append(ParsedAttachment(filename=name, content_type=kind, data=content))
    html = _text(getattr(tnef, "htmlbody", None))
    body = _text(getattr(tnef, "body", None))
    if not inner and body is None and html is None:
        return None  # nothing we can show: the container is the most useful thing
    return body, html, inner


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return decode_text(value, None).strip("\x00") or None
    if isinstance(value, str):
        return value.strip("\x00") or None
    return None


def _uudecode_blocks(text: str) -> tuple[str, list[ParsedAttachment]]:
    """Each well-formed uuencoded block becomes a file; the text keeps the rest."""
    found: list[ParsedAttachment] = []

    def take(match: re.Match[str]) -> str:
        data = _uudecode(match.group("body"))
        if data is None:
            return match.group(0)
        name = _safe_name(match.group("name").strip()) or f"uuencoded-{len(found) + 1}.bin"
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found.append(ParsedAttachment(filename=name, content_type=kind, data=data))
        return f"[attached: {name}]\n"

    return _UU_BLOCK.sub(take, text), found


def _uudecode(body: str) -> bytes | None:
    out = bytearray()
    for line in body.splitlines():
        if not line.strip():
            continue
        if line in ("`", " "):  # the zero-length line before `end`
            continue
        try:
            chunk = line.encode("ascii")
        except UnicodeEncodeError:
            return None
        try:
            out += binascii.a2b_uu(chunk)
        except binascii.Error:
            # Encoders that drop trailing spaces or add padding: decode the length
            # the line declares, as the standard library's own uu module did.
            length = (((chunk[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(chunk[:length])
            except binascii.Error:
                return None
    return bytes(out) if out else None
