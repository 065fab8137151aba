"""Inputs that made quote stripping slow still get the right answer.

Their timing is in `make eval-quotes` (tests are not timed); here each must keep
the sender's text and, where there is one, drop the long history.
"""

from __future__ import annotations

import pytest

from rapport.mail.quotes import MAX_SCAN_HTML, MAX_SCAN_TEXT, new_html, new_text
from rapport.mail.tests.quote_cases import normalise, pathological_inputs, visible_text


@pytest.mark.parametrize(
    "name,kind,value,expected", pathological_inputs(), ids=lambda v: str(v)[:24]
)
def test_pathological_input(name: str, kind: str, value: str, expected: str) -> None:
    kept = new_html(value) if kind == "html" else new_text(value)
    assert normalise(visible_text(kind, kept)) == normalise(expected), name


ATTRIBUTION = "On Mon, Dec 7, 2026 at 10:15 AM Support <s@example.com> wrote:"


def test_history_beyond_the_scanned_part_is_not_searched_but_text_is_kept() -> None:
    # A huge body with no quote in its first characters stays whole, nothing lost.
    own = "word " * (MAX_SCAN_TEXT // 5 + 1000)
    value = f"{own}\n\n{ATTRIBUTION}\n> old"
    assert new_text(value) == value.strip()
    html = f"<p>{'word ' * (MAX_SCAN_HTML // 5)}</p><div class=gmail_quote>{ATTRIBUTION}"
    assert new_html(html + "<blockquote>old</blockquote></div>").endswith("</blockquote></div>")


def test_history_found_in_the_scanned_part_drops_the_rest_beyond_it() -> None:
    history = "\n".join(f"> old line {i}" for i in range(MAX_SCAN_TEXT // 10))
    assert new_text(f"New.\n\n{ATTRIBUTION}\n{history}") == "New."
