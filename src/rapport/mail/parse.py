"""Step (b): bytes to a `ParsedMail`, whatever the sender's software did.

The standard library's modern policy parses the MIME tree (RFC 2047 and 2231
included); every header and body is then read defensively, so an undeclared
or unknown charset, a broken boundary or a malformed header degrades to the
best readable text instead of an exception.
"""

from __future__ import annotations

import codecs
import email.header
import email.utils
import functools
import io
import os
import re
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from typing import IO, TYPE_CHECKING

from rapport.mail.spool import MARKER

if TYPE_CHECKING:
    from rapport.mail.bounces import Verdict

# Charsets that mail software declares but Python does not know by that name.
CHARSET_ALIASES = {
    "unknown-8bit": "cp1252",
    "x-unknown": "cp1252",
    "us-ascii": "utf-8",  # "ASCII" mail full of 8-bit bytes is nearly always UTF-8
    "ascii": "utf-8",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-mac-roman": "mac_roman",
    "windows-874": "cp874",
    "utf8": "utf-8",
}
MAX_ATTACHMENTS = 100


class _CachedHeaderRegistry(HeaderRegistry):
    """The modern policy's header parser, remembering what it parsed.

    The parser and `get_body` ask for a part's Content-Type a dozen times, and the
    policy parses it afresh each time; most values repeat across messages too.
    Header objects are immutable strings, so sharing them is safe.
    """

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one registry for the process
    def __call__(self, name: str, value: str) -> BaseHeader:
        return super().__call__(name, value)


POLICY = policy.default.clone(header_factory=_CachedHeaderRegistry())
_MSGID = re.compile(r"<([^<>\s]+)>")


@dataclass
class ParsedAttachment:
    """A file of the message: its bytes, or for a big part the temporary file holding them."""

    filename: str
    content_type: str
    data: bytes = b""
    content_id: str = ""
    inline: bool = False
    path: str = ""

    @property
    def size(self) -> int:
        return os.path.getsize(self.path) if self.path else len(self.data)

    def head(self, n: int) -> bytes:
        if not self.path:
            return self.data[:n]
        with open(self.path, "rb") as handle:
            return handle.read(n)

    def open(self) -> IO[bytes]:
        return open(self.path, "rb") if self.path else io.BytesIO(self.data)


@dataclass
class ParsedMail:
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_address: str
    from_name: str
    to_addresses: list[str]
    content_type: str
    headers: dict[str, str]
    text: str | None
    html: str | None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    report_type: str = ""
    defects: list[str] = field(default_factory=list)
    cc_addresses: list[str] = field(default_factory=list)
    # The parsed tree, for the bounce detectors that read the structure themselves;
    # the pipeline runs them right after parsing and then lets the tree go (`notice`).
    message: Message | None = field(default=None, repr=False, compare=False)
    notice: Verdict | None = None
    notice_checked: bool = False

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def message_ids(value: str) -> list[str]:
    """Message-IDs in a header, without angle brackets; bare ids are accepted too."""
    found = _MSGID.findall(value)
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip().strip("<>")]
    return [m[:255] for m in found]


def parse(
    source: IO[bytes], *, fallback_id: str, spooled: frozenset[str] = frozenset()
) -> ParsedMail:
    """`spooled`: the temporary files `spool.Spooler` moved big part bodies to; a part
    naming any other file is ignored (a sender must not make us read our disk)."""
    msg = BytesParser(policy=POLICY).parse(source)
    assert isinstance(msg, EmailMessage)
    headers, address_headers = _headers(msg)
    from_name, from_address = _first_address(address_headers.get("from", ""))
    if not from_address:
        from_name, from_address = _first_address(address_headers.get("sender", ""))
    ids = message_ids(headers.get("message-id", ""))
    text, html, attachments = _bodies(msg, spooled)
    # Imported here: `unwrap` builds on this module's parts.
    from rapport.mail.unwrap import expand

    text, html, attachments = expand(text, html, attachments)
    defects = [type(d).__name__ for d in msg.defects]
    report_type = msg.get_param("report-type", "", header="content-type")
    return ParsedMail(
        message_id=ids[0] if ids else fallback_id,
        in_reply_to=message_ids(headers.get("in-reply-to", "")),
        references=message_ids(headers.get("references", "")),
        subject=" ".join(headers.get("subject", "").split())[:300],
        from_address=from_address,
        from_name=from_name,
        to_addresses=[
            a.lower()
            for _, a in _addresses(
                address_headers.get("to", "") + "," + address_headers.get("cc", "")
            )
        ],
        content_type=msg.get_content_type(),
        headers=headers,
        text=text,
        html=html,
        attachments=attachments,
        report_type=str(report_type).lower() if isinstance(report_type, str) else "",
        defects=defects,
        cc_addresses=[a.lower() for _, a in _addresses(address_headers.get("cc", ""))],
        message=msg,
    )


ADDRESS_HEADERS = frozenset({"from", "sender", "to", "cc", "reply-to"})


def _headers(msg: Message) -> tuple[dict[str, str], dict[str, str]]:
    """Every header as text, keyed by lower-case name (repeated headers joined): the
    decoded value (RFC 2047, any charset), and for address headers the raw one, which
    must be split into addresses before its words are decoded.

    Read straight from the raw values rather than through the policy's header
    objects: several times faster, and a malformed header (the modern parser
    raises on some Message-IDs) costs only its own decoding.
    """
    decoded: dict[str, list[str]] = {}
    raw: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        key = name.lower()
        text = _unfold(str(value))
        raw.setdefault(key, []).append(text)
        decoded.setdefault(key, []).append(_decode_words(text) if "=?" in text else text)
    return _joined(decoded), _joined({k: v for k, v in raw.items() if k in ADDRESS_HEADERS})


def _joined(values: dict[str, list[str]]) -> dict[str, str]:
    return {key: ", ".join(v for v in found if v)[:10_000] for key, found in values.items()}


def _unfold(value: str) -> str:
    value = re.sub(r"\r?\n(?=[ \t])", "", value).replace("\x00", "").strip()
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        # Raw 8-bit bytes in a header (the parser keeps them as surrogates): most
        # often UTF-8, else a Windows code page.
        value = decode_text(value.encode("ascii", "surrogateescape"), None)
    return value


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words, whatever charset they name."""
    try:
        chunks = email.header.decode_header(value)
    except Exception:
        return value
    return "".join(
        chunk if isinstance(chunk, str) else decode_text(chunk, charset)
        for chunk, charset in chunks
    )


def _addresses(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs of a raw address header; names decoded after splitting."""
    pairs = email.utils.getaddresses([value])
    return [
        (_decode_words(name).strip() if "=?" in name else name.strip(), addr.strip())
        for name, addr in pairs
        if "@" in addr
    ]


def _first_address(value: str) -> tuple[str, str]:
    pairs = _addresses(value)
    if not pairs:
        return "", ""
    name, addr = pairs[0]
    return name, addr.lower()[:254]


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes of a text part as str: the declared charset, else UTF-8, else Windows-1252."""
    candidates = []
    if charset:
        name = charset.strip().strip('"').lower()
        candidates.append(CHARSET_ALIASES.get(name, name))
    candidates += ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            codecs.lookup(candidate)
            return data.decode(candidate).replace("\x00", "")
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1").replace("\x00", "")


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _spooled_path(part: Message, spooled: frozenset[str]) -> str:
    path = str(part.get(MARKER, "")).strip()
    return path if path and path in spooled else ""


def _text_of(part: Message, spooled: frozenset[str]) -> str:
    path = _spooled_path(part, spooled)
    if path:  # a huge text body: the first megabyte is more than anyone reads
        with open(path, "rb") as handle:
            return decode_text(handle.read(1024 * 1024), part.get_content_charset())
    return decode_text(_payload(part), part.get_content_charset())


def _leaves(part: Message) -> list[Message]:
    """The leaf parts in order; an attached message stays one leaf (it is an attachment)."""
    if part.get_content_maintype() == "message" or not part.is_multipart():
        return [part]
    children = part.get_payload()
    if not isinstance(children, list):
        return [part]
    leaves: list[Message] = []
    for child in children:
        if isinstance(child, Message):
            leaves.extend(_leaves(child))
    return leaves


def _bodies(
    msg: EmailMessage, spooled: frozenset[str]
) -> tuple[str | None, str | None, list[ParsedAttachment]]:
    plain_part = html_part = None
    try:
        plain_part = msg.get_body(preferencelist=("plain",))
        html_part = msg.get_body(preferencelist=("html",))
    except Exception:  # a structure get_body cannot walk: fall back to the leaves below
        plain_part = html_part = None
    if (
        plain_part is None
        and html_part is None
        and not msg.is_multipart()
        and msg.get_content_maintype() == "text"
    ):
        plain_part = msg
    if (
        plain_part is None
        and html_part is None
        and msg.get_content_maintype() == "multipart"
        and isinstance(msg.get_payload(), str)
    ):
        # A multipart whose boundary never appears: the parser leaves the body as
        # one string, which is still what the sender wrote.
        plain_part = msg
    text = _text_of(plain_part, spooled) if plain_part is not None else None
    html = _text_of(html_part, spooled) if html_part is not None else None
    if html_part is not None and html_part.get_content_subtype() != "html":
        html = None
    attachments: list[ParsedAttachment] = []
    body_parts = {id(plain_part), id(html_part)}
    for part in _leaves(msg):
        if id(part) in body_parts or len(attachments) >= MAX_ATTACHMENTS:
            continue
        attachment = _attachment(part, len(attachments) + 1, spooled)
        if attachment is not None:
            attachments.append(attachment)
    if text is None and html is None:
        # No body part at all (e.g. only an attachment, or text in an odd place):
        # the first text part that is not a file is the body.
        for attachment in attachments:
            if attachment.content_type == "text/plain" and not attachment.inline:
                text = decode_text(attachment.head(1024 * 1024), "utf-8")
                attachments.remove(attachment)
                break
    return text, html, attachments


def _attachment(part: Message, number: int, spooled: frozenset[str]) -> ParsedAttachment | None:
    content_type = part.get_content_type()
    if part.get_content_maintype() == "multipart":
        return None  # an empty or broken container: nothing of its own to keep
    spooled_message = _spooled_path(part, spooled)
    if part.get_content_maintype() == "message" and spooled_message:
        with open(spooled_message, "rb") as handle:
            head = BytesHeaderParser(policy=policy.compat32).parse(handle)
        name = _safe_name(_decode_words(str(head.get("subject", "")))) or f"message-{number}"
        return ParsedAttachment(f"{name[:100]}.eml", "message/rfc822", path=spooled_message)
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        nested = inner[0] if isinstance(inner, list) and inner else inner
        try:
            data = nested.as_bytes(policy=policy.compat32) if isinstance(nested, Message) else b""
        except Exception:
            data = _payload(part)
        subject = nested.get("subject", "") if isinstance(nested, Message) else ""
        name = _safe_name(_decode_words(str(subject))) or f"message-{number}"
        return ParsedAttachment(f"{name[:100]}.eml", "message/rfc822", data)
    path = _spooled_path(part, spooled)
    data = b"" if path else _payload(part)
    try:
        filename = part.get_filename() or ""
    except Exception:
        filename = ""
    filename = _decode_words(filename) if "=?" in filename else filename
    disposition = (part.get_content_disposition() or "").lower()
    content_id = (part.get("content-id") or "").strip().strip("<>")
    if not data and not path and not filename:
        return None
    if not filename:
        if content_type.startswith("text/") and disposition != "attachment" and not content_id:
            # Another text part of the body (e.g. a second text/plain after an image):
            # kept as a file so nothing is lost.
            filename = f"part-{number}.txt"
        else:
            ext = _extension(content_type)
            filename = f"part-{number}{ext}"
    return ParsedAttachment(
        filename=_safe_name(filename) or f"part-{number}",
        content_type=content_type,
        data=data,
        content_id=content_id[:200],
        inline=disposition == "inline" or bool(content_id),
        path=path,
    )


def _extension(content_type: str) -> str:
    import mimetypes

    return mimetypes.guess_extension(content_type) or ".bin"


def _safe_name(name: str) -> str:
    name = "".join(ch for ch in name if ch.isprintable()).replace("/", "_").replace("\\", "_")
    return name.strip(" .")[:200]
