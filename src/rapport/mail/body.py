"""What the thread shows of an inbound message: the new text, inline images, notes."""

from __future__ import annotations

import html as htmllib
import re

import puremagic

from rapport.core.sanitize import clean_html, html_to_text
from rapport.mail.parse import ParsedAttachment, ParsedMail
from rapport.mail.quotes import new_html, new_text

MAX_DISPLAY = 190_000  # characters of a message body; the full original stays stored


def sniff(attachment: ParsedAttachment) -> str:
    """The content type the bytes show, when they contradict or refine the declared one."""
    declared = attachment.content_type
    try:
        guesses = puremagic.magic_string(attachment.head(8192))
    except Exception:
        guesses = []
    sniffed = next((g.mime_type for g in guesses if g.mime_type), "")
    if not sniffed or sniffed == declared:
        return declared
    if (
        declared in ("application/octet-stream", "")
        or declared.split("/")[0] != sniffed.split("/")[0]
    ):
        # A file claiming to be an image but holding an executable is served as what it is.
        return sniffed
    return declared


def rewrite_cids(html: str | None, cids: dict[str, int]) -> str:
    """Inline images (`cid:`) point at their stored attachment."""
    if not html or not cids:
        return html or ""

    def swap(match: re.Match[str]) -> str:
        attachment = cids.get(match.group(2))
        if attachment is None:
            return match.group(0)
        return f"{match.group(1)}/api/v1/attachments/{attachment}"

    return re.sub(r"""(src=["']?)cid:([^"'\s>]+)""", swap, html, flags=re.IGNORECASE)


def display_body(
    mail: ParsedMail, *, is_reply: bool, cids: dict[str, int], notes: list[str]
) -> tuple[str, bool]:
    """What the thread shows: the new text of a reply (a new ticket keeps all of it,
    forwarded history included), with a line for each attachment left out."""
    text_reply = new_text(mail.text) if is_reply and mail.text else None
    if mail.html is not None:
        html = rewrite_cids(mail.html, cids)
        if is_reply:
            cut = new_html(html)
            if cut == html and text_reply is not None and len(text_reply) < len(mail.text or ""):
                # No quote marker we know in the HTML, but the plain part shows where the
                # quoted history starts: the trimmed text beats the whole HTML.
                return _text_body(text_reply, mail, notes), False
            html = cut
        html = clean_html(html[:MAX_DISPLAY])
        if html_to_text(html).strip() or "<img" in html:
            html += "".join(f"<p><em>{htmllib.escape(n)}</em></p>" for n in notes)
            return html, True
    return _text_body(text_reply if text_reply is not None else mail.text or "", mail, notes), False


def _text_body(text: str, mail: ParsedMail, notes: list[str]) -> str:
    text = text[:MAX_DISPLAY].strip()
    if not text:
        text = "(This message has no text.)" if not mail.attachments else "(See attachments.)"
    if notes:
        text += "\n\n" + "\n".join(notes)
    return text
