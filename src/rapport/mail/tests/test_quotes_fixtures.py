"""Every reply shape of the fixture set keeps exactly the sender's new text.

The fixtures (quote_fixtures/{text,html}/) are replies as Gmail, Outlook
2003–365, Apple Mail, Thunderbird, Yahoo, Yandex, mail.ru, Windows Mail and
phones write them, in fifteen languages, with the text a reader should see.
No case is expected to fail: `bench/quotes_eval.py` scores the same set.
"""

from __future__ import annotations

import pytest

from rapport.mail.quotes import new_html, new_text
from rapport.mail.tests.quote_cases import Case, load_cases, normalise, visible_text

CASES = load_cases()


def test_the_set_covers_every_shape_in_many_languages() -> None:
    categories = {case.category for case in CASES}
    assert {
        "bottom-post", "interleaved", "mobile-signature", "outlook-original-message",
        "outlook-underscore", "on-wrote", "on-sent", "wrapped-header", "outlook-2003",
        "outlook-2007-2010", "outlook-2013-2016", "outlook-web", "gmail", "apple-mail",
        "yandex", "mail.ru", "windows-mail", "hr-separator", "forward-in-reply", "signature",
    } <= categories  # fmt: skip
    languages = {case.language for case in CASES if case.category == "outlook-original-message"}
    assert {"de", "fr", "es", "nl", "pl", "sv", "da", "no", "ru", "vi", "it", "pt"} <= languages
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.kind}/{case.name}")
def test_kept_text(case: Case) -> None:
    kept = new_html(case.input) if case.kind == "html" else new_text(case.input)
    assert normalise(visible_text(case.kind, kept)) == normalise(case.expected), case.note
