"""Mail bodies read as lines for mail/quotes.py: plain text by line breaks, HTML
by block elements, each line known as quoted or not, with the offset where it
starts so a cut before it keeps the input as written. Linear in the input:
one pass of one tag pattern, no parser tree.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass


@dataclass
class Line:
    text: str  # what a reader sees, without quote marks, stripped
    quoted: bool
    start: int  # offset in the input where the line (and a cut before it) begins
    marker: str = ""  # HTML only: "history" (a quote container), "signature", "hr" (a rule)
    boxed: bool = False  # HTML only: inside a <blockquote>


def text_lines(text: str) -> list[Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        quoted = raw.startswith(">")
        body = raw.lstrip("> ") if quoted else raw
        lines.append(Line(body.strip(), quoted, offset))
        offset += len(raw) + 1
    # A long link in a quote, wrapped by the client, loses its ">" on the
    # continuation line; that line is still the quote's, not an answer.
    for k in range(1, len(lines) - 1):
        line = lines[k]
        between_quotes = lines[k - 1].quoted and lines[k + 1].quoted
        if not line.quoted and between_quotes and _LINK_PIECE.match(line.text):
            line.quoted = True
    return lines


_LINK_PIECE = re.compile(r"^\(?(https?://\S+|\S*[=&%/]\S*)\)?\s*>?$")


_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>|<!--")
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "hr", "blockquote", "h1", "h2", "h3",
    "h4", "h5", "h6", "pre", "body", "dl", "dt", "dd", "section", "article", "center",
}  # fmt: skip
_SKIP = {"style", "script", "head", "title", "xml"}
_SKIP_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _SKIP}
_HISTORY_ID = re.compile(
    r"""id=["']?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container"""
    r"""|OLK_SRC_BODY_SECTION)""",
    re.I,
)
_HISTORY_CLASS = re.compile(r"""class=["']?[^"'>]*(OutlookMessageHeader|yahoo_quoted)""", re.I)
_OUTLOOK_BORDER = re.compile(r"border-top:\s*solid\s*#(e1e1e1|b5c4df)", re.IGNORECASE)
_SIGNATURE_CLASS = re.compile(
    r"""class=["']?[^"'>]*(gmail_signature|moz-signature|ms-outlook-mobile-signature)"""
    r"""|data-signature-widget=["']?container""",
    re.IGNORECASE,
)


def html_lines(html: str) -> list[Line]:
    """Lines of visible text with the offset where each begins; linear in the input."""
    lines: list[Line] = []
    parts: list[str] = []
    start, quoted, marker = 0, False, ""
    depth = 0  # open <blockquote>s
    pre = 0  # open <pre>s
    position = 0

    def close(at: int) -> None:
        nonlocal parts, start, quoted, marker
        text = _SPACES.sub(" ", html_lib.unescape("".join(parts))).strip()
        if text or marker:
            boxed = quoted
            if text.startswith(">"):  # a plain-text reply shown as HTML (`&gt;` lines)
                text, quoted = text.lstrip("> ").strip(), True
            lines.append(Line(text, quoted, start, marker, boxed=boxed))
            parts, quoted, marker = [], False, ""
            start = at

    def add(text: str, at: int) -> None:
        """Text at offset `at`; inside <pre> each line break ends a line."""
        nonlocal quoted
        pieces = text.split("\n") if pre else [text]
        for number, piece in enumerate(pieces):
            if piece.strip():
                parts.append(piece)
                quoted = quoted or depth > 0
            at += len(piece) + 1
            if number < len(pieces) - 1:
                close(at)

    for match in _TAG.finditer(html):
        if match.start() < position:
            continue  # inside a comment or a skipped element
        add(html[position : match.start()], position)
        position = match.end()
        if match.group(0) == "<!--":
            end = html.find("-->", position)
            position = len(html) if end < 0 else end + 3
            continue
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name in _SKIP and not closing:
            closing_tag = _SKIP_END[name].search(html, position) if name != "head" else None
            if closing_tag:
                position = closing_tag.start()
            continue
        if name == "blockquote":
            depth = max(0, depth + (-1 if closing else 1))
        elif name == "pre":
            pre = max(0, pre + (-1 if closing else 1))
        if closing or (name not in _BLOCK and name != "span"):
            if name in _BLOCK:
                close(match.start())
            continue
        found = ""
        outlook_border = name == "div" and _OUTLOOK_BORDER.search(attributes)
        if outlook_border or _HISTORY_ID.search(attributes) or _HISTORY_CLASS.search(attributes):
            found = "history"
        elif _SIGNATURE_CLASS.search(attributes):
            found = "signature"
        elif name == "hr" or (name == "div" and "border-top" in attributes.lower()):
            found = "hr"  # a rule: history if a header follows
        if name in _BLOCK or found:
            close(match.start())
        if found and not marker:
            marker = found
            start = match.start() if not parts else start
    add(html[position:], position)
    close(len(html))
    return lines
