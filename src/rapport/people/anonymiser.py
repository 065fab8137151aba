"""Turning a real customer's words into a script line nobody can trace back.

Replaced: the names of the requester, of every client-side author and of the client
organisation (whole names and each part of three letters or more, any case), e-mail
addresses, phone numbers, and order, invoice and similar reference numbers. Replacing
every part of a name costs the odd false hit ("Mark" the verb); a leaked surname costs
more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: an optional +, then 7 or more digits with spaces, dots, dashes or
# brackets between them.
PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().-]{5,}\d(?![\w/])")
# "order 12345", "invoice #INV-2024-0042", "ref: AB12345", "PO 998877" (a digit in it:
# "account locked" is no reference).
REFERENCE = re.compile(
    r"\b(order|invoice|inv|ref(?:erence)?|po|account|acct|booking|contract|case|ticket)"
    r"(\s*(?:no\.?|number|num|nr\.?|#|:)?\s*#?\s*)((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{2,})\b",
    re.IGNORECASE,
)
# A stand-alone code with digits in it ("INV-2024-0042", "#48213") is a reference too.
CODE = re.compile(r"(?:#\d{3,}\b|\b[A-Z]{2,5}-\d[\d-]{2,}\b)")
# Any other run of five digits or more, with or without a letter prefix (a VAT ID
# "DE123456789", an account "12345678"), identifies someone.
LONG_NUMBER = re.compile(r"\b[A-Za-z]{0,4}\d{5,}[A-Za-z0-9]*\b")

# Parts of organisation names too common to replace on their own.
COMMON = {"the", "and", "ltd", "inc", "llc", "plc", "gmbh", "corp", "company", "group",
          "services", "service", "limited", "customer", "support", "team"}  # fmt: skip

CUSTOMER = "the customer"
ORGANISATION = "the company"


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    parts: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        parts.add(name)
        parts.update(
            p for p in re.split(r"[\s,._@-]+", name) if len(p) >= 3 and p.lower() not in COMMON
        )
    if not parts:
        return None
    # Longest first, so "Globex Corporation" goes before "Globex".
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def anonymise(text: str, *, people: Iterable[str], organisations: Iterable[str]) -> str:
    text = EMAIL.sub("[e-mail address]", text)
    text = REFERENCE.sub(lambda m: f"{m.group(1)}{m.group(2)}[number]", text)
    text = CODE.sub("[number]", text)
    text = PHONE.sub("[phone number]", text)
    text = LONG_NUMBER.sub("[number]", text)
    org_pattern = _name_pattern(organisations)
    if org_pattern is not None:
        text = org_pattern.sub(ORGANISATION, text)
    person_pattern = _name_pattern(people)
    if person_pattern is not None:
        text = person_pattern.sub(CUSTOMER, text)
    return text
