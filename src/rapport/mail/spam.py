"""The optional spam check: SpamAssassin's spamd, spoken to in its SPAMC protocol.

`RAPPORT_SPAMD=host:port` turns it on. A verdict of spam holds the message in the
`spam` state for an agent's review (release or confirm); nothing is deleted. What
agents decide is told back to spamd (`TELL`, its Bayes learning; spamd must run
with `--allow-tell`). With no spamd configured, or spamd unreachable, mail is
placed as before (an unreachable filter must never lose or delay mail), and the
mailbox settings page says which it is.

The protocol is a few lines over a socket (spamc's own, documented in spamd's
PROTOCOL file), so it is spoken here directly rather than through an asyncio
client the synchronous pipeline would have to run a loop for.
"""

from __future__ import annotations

import logging
import re
import socket
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)
# spamc's own default: bigger messages are not scanned (nearly no spam is that big,
# and scanning them costs seconds).
MAX_BYTES = 512 * 1024
TIMEOUT = 15.0
_SPAM = re.compile(r"^Spam:\s*(\w+)\s*;\s*(-?[\d.]+)\s*/\s*(-?[\d.]+)", re.I | re.M)
_STATUS = re.compile(r"^SPAMD/[\d.]+\s+(\d+)\s*(.*)$")


class SpamdError(Exception):
    pass


@dataclass(frozen=True)
class Verdict:
    is_spam: bool
    score: float
    threshold: float


def address() -> tuple[str, int] | None:
    """spamd's (host, port), or None when no spam check is configured."""
    value = settings.RAPPORT_SPAMD
    if not value:
        return None
    host, _, port = value.rpartition(":")
    return (host or "127.0.0.1").strip("[]"), int(port)


def _request(verb: str, raw: bytes, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    where = address()
    if where is None:
        raise SpamdError("no spamd configured (RAPPORT_SPAMD)")
    lines = [f"{verb} SPAMC/1.5", f"Content-length: {len(raw)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + raw
    try:
        with socket.create_connection(where, timeout=TIMEOUT) as conn:
            conn.sendall(request)
            conn.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
    except OSError as exc:
        raise SpamdError(f"spamd at {where[0]}:{where[1]}: {exc}") from exc
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = _STATUS.match(status_line)
    if status is None or status.group(1) != "0":
        raise SpamdError(f"spamd answered {status_line!r}")
    answer = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        answer[name.strip().lower()] = value.strip()
    return answer, body


def check(raw: bytes) -> Verdict | None:
    """spamd's verdict on a message; None when no spamd is configured, the message is
    too big to scan, or spamd cannot be reached (logged: the mail goes on)."""
    if address() is None or len(raw) > MAX_BYTES:
        return None
    try:
        answer, _ = _request("CHECK", raw, {})
    except SpamdError as exc:
        logger.warning("spam check skipped: %s", exc)
        return None
    match = _SPAM.match(f"Spam: {answer.get('spam', '')}")
    if match is None:
        logger.warning("spam check skipped: spamd's answer had no verdict")
        return None
    return Verdict(
        is_spam=match.group(1).lower() in ("true", "yes"),
        score=float(match.group(2)),
        threshold=float(match.group(3)),
    )


def tell(raw: bytes, kind: str) -> bool:
    """Teach spamd that a message is `spam` or `ham` (its Bayes database); whether it
    learned something (False: it knew the message as this class already)."""
    if kind not in ("spam", "ham"):
        raise ValueError(kind)
    answer, _ = _request("TELL", raw, {"Message-class": kind, "Set": "local"})
    return "local" in answer.get("didset", "")


def status() -> str:
    """One line for the settings page: whether mail is checked, and by what."""
    where = address()
    if where is None:
        return (
            "No spam filter is configured (RAPPORT_SPAMD): only mail an upstream filter "
            "marked (X-Spam-Flag, X-Spam-Status) is held as spam."
        )
    try:
        _request("PING", b"", {})
    except SpamdError as exc:
        return f"spamd at {where[0]}:{where[1]} is not answering ({exc}); mail is placed unchecked."
    return f"Every inbound message is checked by spamd at {where[0]}:{where[1]}."
