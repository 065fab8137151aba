"""Markdown bodies to safe HTML, and word-level redlines between two versions.

Markdown is rendered by markdown-it-py (CommonMark, maintained) with raw HTML turned
off, and the result still goes through the project's nh3 sanitiser: a body is text
from people, and links in it must not carry scripts.
"""

from __future__ import annotations

import difflib
import html
import re

from markdown_it import MarkdownIt

from rapport.core.sanitize import clean_html, html_to_text

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def markdown_to_html(body: str) -> str:
    return clean_html(_md.render(body))


def markdown_to_text(body: str) -> str:
    return html_to_text(markdown_to_html(body))


def headings(body: str) -> list[str]:
    """The clause headings of a body, for citing and proposing against a clause."""
    return [m.group(1) for m in _HEADING.finditer(body)]


def redline(old: str, new: str) -> str:
    """HTML of `new` against `old`, word by word: <del> for removed, <ins> for added.

    Whitespace is kept as its own token so the text reads as written; difflib's
    SequenceMatcher (autojunk off: bodies are prose, common words are not noise)."""
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)
