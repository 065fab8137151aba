"""What a rule tests, and how a rule is checked before it is saved.

A condition is `{"field": …, "op": …, "value": …}`. Fields on the ticket's own
columns are also turned into a `Q` (`prefilter`) so a sweep or a dry run reads only
the tickets that can match; every condition is then decided in Python on a `Facts`
(the ticket with what the conditions need, loaded for a whole batch at once by
`rapport.automation.queries.facts_for`). The dry run and the sweep share both steps,
so the preview counts exactly what the first run acts on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from rapport.core.choices import DONE_CATEGORIES as DONE
from rapport.core.choices import Priority, StatusCategory
from rapport.core.errors import Invalid
from rapport.tickets.models import Channel, Event, Ticket

# field -> (operators, value type, for triggers only / automations only / both)
FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "event_kind": (("is", "in"), "str", "trigger"),
    "provider": (("is", "is_not"), "int", "both"),
    "client": (("is", "is_not"), "int", "both"),
    "agreement_kind": (("is", "is_not"), "str", "both"),
    "priority": (("is", "is_not", "gte", "lte"), "priority", "both"),
    "status": (("is", "is_not", "in"), "str", "both"),
    "tags": (("includes", "excludes"), "str", "both"),
    "channel": (("is", "is_not"), "str", "both"),
    "organisation": (("is", "is_not"), "int", "both"),
    "assignee": (("is", "is_not"), "int_or_none", "both"),
    "business_hours": (("is",), "bool", "both"),
    "is_handoff": (("is",), "bool", "both"),
    "unanswered_replies": (("gte",), "int", "both"),
    "sentiment": (("lt",), "float", "both"),
    "going_sour": (("is",), "bool", "both"),
    "hours_since_pending": (("gte",), "float", "automation"),
    "minutes_to_breach": (("lte",), "float", "automation"),
    "hours_since_solved": (("gte",), "float", "automation"),
}
TIME_FIELDS = ("hours_since_pending", "minutes_to_breach", "hours_since_solved")
AGREEMENT_KINDS = ("sla", "ola", "uc", "none")
MAX_CONDITIONS = 20
MAX_NUMBER = 1_000_000


@dataclass
class Facts:
    """One ticket and what the conditions about it need, read for a batch at once."""

    ticket: Ticket
    now: datetime
    tags: set[str] = field(default_factory=set)
    requester_orgs: set[int] = field(default_factory=set)
    unanswered: int = 0
    client_sentiments: list[float] = field(default_factory=list)  # oldest first
    business_open: bool | None = None
    pending_business_hours: float | None = None
    minutes_to_breach: float | None = None
    event: Event | None = None


def _priority(value: Any) -> int:
    if isinstance(value, int) and value in Priority.values:
        return value
    try:
        return int(Priority.from_name(str(value)))
    except ValueError:
        raise Invalid(
            f"Priority is one of {', '.join(Priority.label_names())}.", field="conditions"
        ) from None


def clean(conditions: Any, kind: str) -> dict[str, list[dict[str, Any]]]:
    """The conditions in their stored form, or Invalid naming what is wrong."""
    if not isinstance(conditions, dict) or set(conditions) - {"all", "any"}:
        raise Invalid('Conditions are {"all": […], "any": […]}.', field="conditions")
    out: dict[str, list[dict[str, Any]]] = {"all": [], "any": []}
    for group in ("all", "any"):
        items = conditions.get(group) or []
        if not isinstance(items, list) or len(items) > MAX_CONDITIONS:
            raise Invalid(f"'{group}' is a list of at most {MAX_CONDITIONS}.", field="conditions")
        for item in items:
            out[group].append(_clean_one(item, kind))
    if not out["all"] and not out["any"]:
        raise Invalid("A rule needs at least one condition.", field="conditions")
    return out


def _clean_one(item: Any, kind: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise Invalid("Each condition is {field, op, value}.", field="conditions")
    name, op, value = item.get("field"), item.get("op"), item.get("value")
    if name not in FIELDS:
        raise Invalid(f"Unknown condition field {name!r}.", field="conditions")
    ops, vtype, scope = FIELDS[name]
    if scope != "both" and scope != kind:
        raise Invalid(f"{name!r} is a condition for {scope}s only.", field="conditions")
    if op not in ops:
        raise Invalid(f"{name!r} takes {', '.join(ops)}.", field="conditions")
    if op == "in":
        if not isinstance(value, list) or not value or len(value) > 50:
            raise Invalid(f"{name!r} in takes a list.", field="conditions")
        value = [_value(name, vtype, v) for v in value]
    else:
        value = _value(name, vtype, value)
    return {"field": name, "op": op, "value": value}


def _value(name: str, vtype: str, value: Any) -> Any:
    bad = Invalid(f"Bad value for {name!r}.", field="conditions")
    if vtype == "priority":
        return _priority(value)
    if vtype == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if vtype in ("int", "int_or_none"):
        if value is None and vtype == "int_or_none":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
            raise bad
        return value
    if vtype == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
        if not -MAX_NUMBER <= value <= MAX_NUMBER:
            raise bad
        return float(value)
    if not isinstance(value, str) or not value or len(value) > 64:
        raise bad
    if name == "agreement_kind" and value not in AGREEMENT_KINDS:
        raise Invalid(f"Agreement kind is one of {', '.join(AGREEMENT_KINDS)}.",
                      field="conditions")  # fmt: skip
    if name == "channel" and value not in Channel.values:
        raise Invalid(f"Channel is one of {', '.join(Channel.values)}.", field="conditions")
    if name == "status" and value not in StatusCategory.values:
        raise Invalid(f"Status is one of {', '.join(StatusCategory.values)}.",
                      field="conditions")  # fmt: skip
    return value


# --- narrowing in SQL -------------------------------------------------------------

_COLUMNS = {"provider": "provider_party_id", "client": "client_party_id",
            "priority": "priority", "status": "status_category", "channel": "channel",
            "assignee": "assignee_id"}  # fmt: skip


def prefilter(conditions: dict[str, list[dict[str, Any]]]) -> Q:
    """A `Q` every matching ticket satisfies (from the 'all' conditions on columns)."""
    q = Q()
    for c in conditions.get("all", []):
        name, op, value = c["field"], c["op"], c["value"]
        column = _COLUMNS.get(name)
        if column is not None:
            if op == "is":
                q &= Q(**{column: value}) if value is not None else Q(**{f"{column}__isnull": True})
            elif op == "is_not":
                q &= (
                    ~Q(**{column: value})
                    if value is not None
                    else Q(**{f"{column}__isnull": False})
                )
            elif op == "in":
                q &= Q(**{f"{column}__in": value})
            elif op == "gte":
                q &= Q(**{f"{column}__gte": value})
            elif op == "lte":
                q &= Q(**{f"{column}__lte": value})
        elif name == "is_handoff":
            q &= Q(parent__isnull=not value)
        elif name == "hours_since_solved":
            q &= Q(status_category__in=["solved", "closed"], solved_at__isnull=False)
        elif name == "hours_since_pending":
            q &= Q(status_category=StatusCategory.PENDING_CLIENT)
        elif name == "minutes_to_breach":
            q &= Q(sla_due_at__isnull=False)
        elif name == "agreement_kind":
            if value == "none":
                q &= Q(agreement__isnull=True) if op == "is" else Q(agreement__isnull=False)
            elif op == "is":
                q &= Q(agreement__kind=value)
    return q


# Decided from the event and the ticket's own columns, without a query.
CHEAP = frozenset({"event_kind", "provider", "client", "priority", "status", "channel",
                   "assignee", "is_handoff"})  # fmt: skip


def cheap_ok(conditions: dict[str, list[dict[str, Any]]], ticket: Ticket,
             event: Event | None) -> bool:  # fmt: skip
    """False when an 'all' condition that needs no query already fails: most triggers
    are ruled out by the event's kind or a column before anything is loaded."""
    bare = Facts(ticket=ticket, now=ticket.updated_at, event=event)
    return all(test(c, bare) for c in conditions.get("all", []) if c["field"] in CHEAP)


def needs(conditions: dict[str, list[dict[str, Any]]]) -> set[str]:
    return {c["field"] for group in conditions.values() for c in group}


# --- deciding ---------------------------------------------------------------------


def matches(conditions: dict[str, list[dict[str, Any]]], facts: Facts) -> bool:
    if not all(test(c, facts) for c in conditions.get("all", [])):
        return False
    anyof = conditions.get("any", [])
    return not anyof or any(test(c, facts) for c in anyof)


def _compare(op: str, actual: Any, value: Any) -> bool:
    if op == "is":
        return bool(actual == value)
    if op == "is_not":
        return bool(actual != value)
    if op == "in":
        return actual in value
    if actual is None:
        return False
    if op == "gte":
        return bool(actual >= value)
    if op == "lte":
        return bool(actual <= value)
    if op == "lt":
        return bool(actual < value)
    raise ValueError(op)


def test(c: dict[str, Any], f: Facts) -> bool:
    name, op, value = c["field"], c["op"], c["value"]
    t = f.ticket
    if name == "event_kind":
        return f.event is not None and _compare(op, f.event.kind, value)
    if name in _COLUMNS:
        return _compare(op, getattr(t, _COLUMNS[name]), value)
    if name == "agreement_kind":
        kind = t.agreement.kind if t.agreement_id and t.agreement else "none"
        return _compare(op, kind, value)
    if name == "tags":
        return (value in f.tags) == (op == "includes")
    if name == "organisation":
        return (value in f.requester_orgs) == (op == "is")
    if name == "business_hours":
        return f.business_open is not None and f.business_open == value
    if name == "is_handoff":
        return (t.parent_id is not None) == value
    if name == "unanswered_replies":
        return f.unanswered >= value
    if name == "sentiment":
        return bool(f.client_sentiments) and f.client_sentiments[-1] < value
    if name == "going_sour":
        return going_sour(f.client_sentiments) == value
    if name == "hours_since_pending":
        return f.pending_business_hours is not None and f.pending_business_hours >= value
    if name == "minutes_to_breach":
        return f.minutes_to_breach is not None and f.minutes_to_breach <= value
    if name == "hours_since_solved":
        return t.solved_at is not None and (f.now - t.solved_at).total_seconds() / 3600 >= value
    raise ValueError(name)


def going_sour(sentiments: list[float]) -> bool:
    """The client's last two messages each more negative than the one before."""
    if len(sentiments) < 3:
        return False
    a, b, c = sentiments[-3:]
    return b < a and c < b


# --- the nullifying condition -------------------------------------------------------


def nullified(conditions: dict[str, list[dict[str, Any]]], actions: Iterable[dict[str, Any]],
              statuses: dict[str, str]) -> bool:  # fmt: skip
    """Whether some 'all' condition is made false by the rule's own actions, so a
    time-based rule acts once per ticket (Zendesk's nullifying condition).
    `statuses`: status slug -> category."""
    after: dict[str, Any] = {}
    added: set[str] = set()
    removed: set[str] = set()
    for a in actions:
        kind, value = a["type"], a["value"]
        if kind == "status":
            after["status"] = statuses.get(value)
        elif kind == "priority":
            after["priority"] = _priority(value)
        elif kind == "assignee":
            after["assignee"] = value
        elif kind == "add_tags":
            added |= set(value)
        elif kind == "remove_tags":
            removed |= set(value)
    for c in conditions.get("all", []):
        name, op, value = c["field"], c["op"], c["value"]
        changed = name in after and name in ("status", "priority", "assignee")
        if changed and not _compare(op, after[name], value):
            return True
        status = after.get("status")
        if name == "hours_since_pending" and status and status != StatusCategory.PENDING_CLIENT:
            return True
        if name == "hours_since_solved" and status and status not in DONE:
            return True
        if name == "tags":
            if op == "excludes" and value in added:
                return True
            if op == "includes" and value in removed:
                return True
    return False
