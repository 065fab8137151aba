"""Properties of quote stripping over generated input: it only ever removes whole
lines (plain text) or a tail (HTML), never rewrites what it keeps, and keeps all
of a sender's text written above a standard quoted reply."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.mail.quotes import new_html, new_text

ATTRIBUTION = "On Mon, Dec 7, 2026 at 10:15 AM Rapport Support <support@example.com> wrote:"
# Own text with no quote marks, separators or colons: nothing in it looks like history.
own_text = st.text(alphabet=string.ascii_letters + string.digits + " .,!?\n", min_size=1).filter(
    lambda s: any(c.isalpha() for c in s)
)


@settings(max_examples=200, deadline=None)
@given(own=own_text, quote=st.lists(st.text(alphabet=string.printable, max_size=40), max_size=8))
def test_text_above_a_quoted_reply_is_kept_whole(own: str, quote: list[str]) -> None:
    history = "\n".join("> " + line.replace("\n", " ") for line in quote) or "> Hello"
    assert new_text(f"{own}\n\n{ATTRIBUTION}\n{history}") == own.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "äßéЖ—–_>", max_size=400))
def test_plain_text_loses_whole_lines_only(value: str) -> None:
    kept = [line.strip() for line in new_text(value).splitlines()]
    source = iter(line.strip() for line in value.replace("\r", "\n").splitlines())
    assert all(any(line == candidate for candidate in source) for line in kept)


HTML_PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<br>", "<hr>", "<blockquote>", "</blockquote>",
    '<div class="gmail_quote">', '<div id="divRplyFwdMsg">', "-- ", "From: a@b.c",
    "Sent: Monday 10:15", "Subject: x", ATTRIBUTION, "Thanks", "<!--", "-->", "<style>",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=30).map("".join))
def test_html_keeps_a_prefix(value: str) -> None:
    assert value.startswith(new_html(value))
