"""The quote-stripping fixture set: loading, scoring and pathological inputs.

Each file under quote_fixtures/{text,html}/ is one reply as a mail client writes
it, with the text a reader should see. Shared by the test that holds
`mail/quotes.py` to all of them and by `bench/quotes_eval.py`, which scores the
libraries on the same cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapport.core.sanitize import clean_html, html_to_text

FIXTURES = Path(__file__).parent / "quote_fixtures"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "text" or "html"
    category: str
    language: str
    input: str
    expected: str
    note: str


def load_cases(kind: str | None = None) -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8")
        head, _, rest = raw.partition("=== input\n")
        body, _, expected = rest.rpartition("=== expected\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        case = Case(
            name=path.stem,
            kind=path.parent.name,
            category=meta["category"],
            language=meta["language"],
            input=body[:-1] if body.endswith("\n") else body,
            expected=expected.rstrip("\n"),
            note=meta.get("note", ""),
        )
        if kind is None or case.kind == kind:
            cases.append(case)
    return cases


def normalise(text: str) -> str:
    """Whitespace-insensitive comparison: what a reader sees, not the line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def visible_text(kind: str, output: str) -> str:
    """The text a reader sees of a kept body (HTML is sanitised as the pipeline does)."""
    return html_to_text(clean_html(output)) if kind == "html" else output


def matches(case: Case, output: str) -> bool:
    return normalise(visible_text(case.kind, output)) == normalise(case.expected)


# Inputs that made naive parsers slow (long nested quotes, marker-like text that
# never completes, deep HTML nesting), each with the text that must be kept.
OWN = "Short answer: yes, go ahead."
_ATTRIBUTION = "On Mon, Dec 7, 2026 at 10:15 AM Rapport Support <support@example.com> wrote:"


def pathological_inputs() -> list[tuple[str, str, str, str]]:
    """(name, kind, input, expected kept text)."""
    nested = "\n".join(
        "> " * (1 + i % 7) + f"line {i} of a long history " + "x" * 60 for i in range(20_000)
    )
    no_wrote = "\n".join(
        f"On Mon, Dec {i % 28 + 1}, 2026 at 10:15 AM someone said" for i in range(5000)
    )
    long_line = "On " + "a, " * 200_000 + "nothing"
    dashes = ("-" * 50 + " ") * 20_000
    deep_html = (
        "<div>" * 5000 + "<blockquote>" * 3000 + "old" + "</blockquote>" * 3000 + "</div>" * 5000
    )
    many_quotes = "".join(
        f'<div class="gmail_quote"><blockquote class="gmail_quote">quote {i}</blockquote></div>'
        for i in range(20_000)
    )
    alternating = "".join(f"> question {i}\nanswer {i}\n" for i in range(20_000))
    alternating_html = "".join(
        f"<blockquote>question {i}</blockquote><p>answer {i}</p>" for i in range(10_000)
    )
    return [
        ("alternating quotes", "text", f"{OWN}\n{alternating}", f"{OWN}\n{alternating}"),
        (
            "alternating html quotes",
            "html",
            f"<p>{OWN}</p>{alternating_html}",
            OWN + " " + " ".join(f"question {i} answer {i}" for i in range(10_000)),
        ),
        ("long nested quote", "text", f"{OWN}\n\n{_ATTRIBUTION}\n{nested}", OWN),
        ("unfinished headers", "text", f"{OWN}\n\n{no_wrote}", f"{OWN}\n\n{no_wrote}"),
        ("one huge line", "text", f"{OWN}\n{long_line}", f"{OWN}\n{long_line}"),
        ("rows of dashes", "text", f"{OWN}\n{dashes}", f"{OWN}\n{dashes}"),
        ("deeply nested html", "html", f"<p>{OWN}</p>{deep_html}", OWN),
        ("many html quotes", "html", f"<p>{OWN}</p>{many_quotes}", OWN),
    ]
