"""The kinds of notification a person can choose how to hear of, in the order the
preferences page lists them. A kind not listed here is still delivered (in the app and
by e-mail): a new notifier never goes silent because nobody added it to this list."""

from __future__ import annotations

KINDS: dict[str, str] = {
    "sla_warning": "A ticket of yours is about to breach its target",
    "sla_breach": "A ticket of yours has breached its target",
    "sla_reassigned": "A breaching ticket was reassigned to you",
    "handoff": "Work was handed to your team or organisation",
    "child_solved": "Work you handed on was solved",
    "automation": "A trigger or automation tells you about a ticket",
    "webhook_disabled": "A webhook you own was disabled after failing",
}


def label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())
