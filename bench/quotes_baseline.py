"""mail/quotes.py as it was before the fixture set (the baseline of bench/quotes_eval.py)."""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser

_parser = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl", "sv", "pl"])

# Where the quoted history starts in the HTML of Gmail, Outlook (desktop and web),
# Apple Mail, Thunderbird, Yahoo and a plain "Original Message" separator.
_HTML_QUOTE_STARTS = re.compile(
    r"<div[^>]+class=\"?[^\">]*gmail_quote"
    r"|<blockquote[^>]+type=\"?cite"
    r"|<div[^>]+id=\"?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)"
    r"|<div[^>]+class=\"?[^\">]*(moz-cite-prefix|yahoo_quoted|OutlookMessageHeader)"
    r"|<div[^>]+style=\"?[^\">]*border-top:\s*solid\s*#(E1E1E1|B5C4DF)"
    r"|<hr[^>]+id=\"?stopSpelling"
    r"|-{3,}\s*Original Message\s*-{3,}"
    r"|<div[^>]*>\s*On [^<]{5,200} wrote:\s*(<br\s*/?>)?\s*</div>\s*<blockquote",
    re.IGNORECASE,
)
_TEXT_HINT = re.compile(r"^\s*>|wrote:|schrieb|a écrit|-----|^From: |^Von: |^--\s*$", re.M)


def new_text(text: str) -> str:
    """The part of a plain-text mail the sender wrote now (all of it if unsure)."""
    if not _TEXT_HINT.search(text):
        return text.strip()  # nothing quoted and no signature: skip the parser
    try:
        replies = _parser.read(text=text).replies
    except Exception:
        return text.strip()
    if not replies:
        return text.strip()
    body = replies[0].body.strip()
    return body or text.strip()


def new_html(html: str) -> str:
    """The HTML before the quoted history (all of it if no marker is found)."""
    match = _HTML_QUOTE_STARTS.search(html)
    if match is None:
        return html
    head = html[: match.start()]
    if not re.sub(r"<[^>]+>|&nbsp;|\s", "", head):
        return html  # nothing new before the quote (a forward, or top-quoting): keep all
    return head
