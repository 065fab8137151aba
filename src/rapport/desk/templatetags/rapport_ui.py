"""Small presentation helpers shared by the desk and the portal templates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from typing import Any, Protocol

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from rapport.core.choices import Clock, plain_status

register = template.Library()

register.filter("plain_status", plain_status)


@register.filter
def filesize(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class Described(Protocol):
    """What `describe` reads of an event: a model instance or a desk history row."""

    kind: str
    old_value: str
    new_value: str
    data: dict[str, Any]


@register.filter
def describe(event: Described) -> str:
    """One line of a ticket's history."""
    old, new = event.old_value, event.new_value
    match event.kind:
        case "created":
            return "raised the ticket"
        case "agreement":
            return f"— agreement {new} applies" if new else "— no agreement applies"
        case "reply":
            return "replied" if event.data.get("side") == "provider" else "wrote"
        case "note":
            return "added an internal note"
        case "assigned":
            return f"assigned it to {new}" if new else f"unassigned it (was {old})"
        case "status":
            return f"changed status {old} → {new}"
        case "reopened":
            return "reopened it"
        case "priority":
            return f"changed priority {old} → {new}"
        case "tagged":
            return f"tagged it {new}"
        case "untagged":
            return f"removed tag {old}"
        case "subject":
            return f"renamed it “{new}”"
        case "merged":
            return f"merged {new} into it"
        case "merged_into":
            return f"merged it into {new}"
        case "trigger" | "automation":
            return new  # "trigger Escalate VIP set priority high" (rapport.automation)
    if event.kind.startswith("sla_"):
        return _describe_clock(event)
    return event.kind.replace("_", " ")


SLA_WORDS = {
    "sla_applied": "{clock} clock started",
    "sla_paused": "{clock} clock paused",
    "sla_resumed": "{clock} clock resumed",
    "sla_fulfilled": "{clock} met",
    "sla_breached": "{clock} breached",
    "sla_warning": "{clock} at {percent} % of its target",
    "sla_cancelled": "{clock} clock cancelled",
    "sla_not_applicable": "{clock} not applicable: closed without a reply",
    "sla_updated": "{clock} due time recomputed",
}


def _describe_clock(event: Described) -> str:
    """SLA engine events (see sla.clocks) in words; the clock names its kind in `new_value`."""
    data = event.data or {}
    kind = str(data.get("clock") or event.new_value)
    label = dict(Clock.choices).get(kind, kind.replace("_", " ").capitalize())
    words = SLA_WORDS.get(event.kind, event.kind.replace("_", " ") + " ({clock})")
    return words.format(clock=label, percent=data.get("percent", "?"))


@register.simple_tag
def options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    """The <option>s of a select, escaped; one call instead of a loop of template nodes
    (selects of people and clients are the slowest part of a queue page to render)."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 (every value and label is escaped)
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in choices
        )
    )


# A route's URL with each integer argument replaced by a marker, reversed once per
# route and split at the markers: `{% url %}` resolves the route on every use,
# ~0.15 ms each, and the ticket page has some thirty links and forms.
_MARKER = 2_718_281_828_459
_ROUTES: dict[tuple[str, str, object, int], tuple[list[str], list[int]]] = {}


@register.simple_tag
def route(name: str, *args: int) -> str:
    """`{% url name args %}` for integer arguments (ticket numbers, ids)."""
    return _route(get_script_prefix(), get_urlconf(), name, args)


def router() -> Callable[..., str]:
    """`route` with the script prefix and URLconf of this request looked up once (each
    lookup reads a context-local: tens of microseconds, per link of a long list)."""
    prefix, urlconf = get_script_prefix(), get_urlconf()
    return lambda name, *args: _route(prefix, urlconf, name, args)


def _route(prefix: str, urlconf: object, name: str, args: tuple[int, ...]) -> str:
    key = (name, prefix, urlconf, len(args))
    split = _ROUTES.get(key)
    if split is None:
        markers = [str(_MARKER + i) for i in range(len(args))]
        parts = (
            re.split("(" + "|".join(markers) + ")", reverse(name, args=markers))
            if args
            else [reverse(name)]
        )
        split = _ROUTES[key] = (parts[0::2], [markers.index(m) for m in parts[1::2]])
    pieces, order = split
    out = [pieces[0]]
    for piece, index in zip(pieces[1:], order, strict=True):
        out += (str(int(args[index])), piece)
    return "".join(out)
