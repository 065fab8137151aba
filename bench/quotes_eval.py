"""Score quote strippers on the fixture set: `make eval-quotes`.

Each candidate gets every fixture of src/rapport/mail/tests/quote_fixtures/ and
scores the share whose kept text matches the expected text (whitespace
normalised), for plain text and HTML apart, then per category and language.
Libraries that only read plain text get the HTML as the pipeline renders it to
text. Last, the worst time of `mail/quotes.py` on the pathological inputs.

    python bench/quotes_eval.py [--failures NAME] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

from rapport.core.sanitize import clean_html, html_to_text
from rapport.mail import quotes
from rapport.mail.tests.quote_cases import (
    Case,
    load_cases,
    matches,
    pathological_inputs,
)

# The languages mail-parser-reply is given (all it knows of the fixture set's).
LANGUAGES = [
    "en", "de", "fr", "es", "it", "nl", "sv", "pl", "da", "no", "pt", "ru", "vi", "fi", "cs",
]  # fmt: skip
Stripper = Callable[[str, str], str]  # (kind, input) -> kept text or HTML


def _as_text(kind: str, value: str) -> str:
    return html_to_text(clean_html(value)) if kind == "html" else value


def rapport(kind: str, value: str) -> str:
    return quotes.new_html(value) if kind == "html" else quotes.new_text(value)


def baseline(kind: str, value: str) -> str:
    import quotes_baseline

    return quotes_baseline.new_html(value) if kind == "html" else quotes_baseline.new_text(value)


def quotequail(kind: str, value: str) -> str:
    import quotequail as qq

    parts = (qq.quote_html if kind == "html" else qq.quote)(value, quote_intro_line=True)
    return "\n".join(text for shown, text in parts if shown)


def email_reply_parser(kind: str, value: str) -> str:
    from email_reply_parser import EmailReplyParser

    result: str = EmailReplyParser.parse_reply(_as_text(kind, value))
    return result


def mail_parser_reply(kind: str, value: str) -> str:
    from mailparser_reply import EmailReplyParser

    parser = EmailReplyParser(languages=LANGUAGES)
    replies = parser.read(text=_as_text(kind, value)).replies
    return replies[0].body if replies else _as_text(kind, value)


def talon_outputs(cases: list[Case]) -> list[str] | None:
    """Talon pins old scientific packages, so it runs in its own environment
    (TALON_PYTHON, made by `make eval-quotes`), all cases in one call."""
    python = os.environ.get("TALON_PYTHON")
    if not python or not Path(python).exists():
        return None
    runner = Path(__file__).with_name("quotes_talon.py")
    payload = json.dumps([[c.kind, c.input] for c in cases])
    done = subprocess.run([python, str(runner)], input=payload, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"(talon failed to run: {done.stderr.strip().splitlines()[-1:]})")
        return None
    outputs: list[str] = json.loads(done.stdout)
    return outputs


CANDIDATES: dict[str, Stripper] = {
    "rapport (before)": baseline,
    "rapport (now)": rapport,
    "quotequail 0.5.4": quotequail,
    "email-reply-parser 0.5.12": email_reply_parser,
    "mail-parser-reply 1.36": mail_parser_reply,
}


def _run(strip: Stripper, case: Case) -> bool:
    try:
        return matches(case, strip(case.kind, case.input))
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", help="list the fixtures this candidate fails")
    args = parser.parse_args()

    import django

    django.setup()
    cases = load_cases()
    available = {}
    for name, strip in CANDIDATES.items():
        try:
            strip("text", "probe")
        except ImportError:
            print(f"({name}: not installed, skipped)")
            continue
        available[name] = strip

    results = {name: [_run(strip, c) for c in cases] for name, strip in available.items()}
    talon = talon_outputs(cases)
    if talon is None:
        print("(talon 1.4.4: set TALON_PYTHON to an environment with talon, skipped)")
    else:
        results["talon 1.4.4"] = [matches(c, out) for c, out in zip(cases, talon, strict=True)]
    names = list(results)

    def table(title: str, key: Callable[[Case], str]) -> None:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, case in enumerate(cases):
            groups[key(case)].append(i)
        print(f"\n| {title} | n | " + " | ".join(names) + " |")
        print("| --- | ---: |" + " ---: |" * len(names))
        for group, idx in sorted(groups.items()):
            cells = [f"{100 * sum(results[n][i] for i in idx) / len(idx):.0f} %" for n in names]
            print(f"| {group} | {len(idx)} | " + " | ".join(cells) + " |")

    table("kind", lambda c: c.kind)
    table("category", lambda c: f"{c.kind}: {c.category}")
    table("language", lambda c: c.language)

    if args.failures:
        print(f"\nFixtures {args.failures} fails:")
        for ok, case in zip(results[args.failures], cases, strict=True):
            if not ok:
                print(f"  {case.kind}/{case.name}")

    print("\nWorst case of mail/quotes.py on pathological inputs (best of 3 runs):")
    for name, kind, value, _expected in pathological_inputs():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            rapport(kind, value)
            best = min(best, time.perf_counter() - start)
        print(f"  {name:24} {len(value) / 1000:8.0f} kB  {best * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
