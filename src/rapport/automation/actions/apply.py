"""What a rule or macro does to a ticket, through the tickets' and chain's own actions.

Each step returns a short phrase for the firing's event ("set priority high"). Rule
steps run as the system (actor None); a macro's field steps run as the agent who
applied it, so their permissions hold.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from rapport.agreements.models import Agreement
from rapport.automation import render
from rapport.automation.models import Delivery, Macro, Webhook
from rapport.chain.actions import hand_off
from rapport.core import clock
from rapport.core.choices import Priority
from rapport.core.errors import Invalid
from rapport.directory.models import Party, Person
from rapport.notifications.actions import notify
from rapport.tickets import actions as tickets
from rapport.tickets.actions.common import clean_tag
from rapport.tickets.models import Event, Status, Ticket

RULE_ACTIONS = ("status", "priority", "assignee", "team", "add_tags", "remove_tags",
                "agreement", "note", "reply_macro", "notify", "webhook")  # fmt: skip
MACRO_ACTIONS = ("status", "priority", "assignee", "add_tags", "remove_tags")
MAX_ACTIONS = 20
MAX_TEXT = 5_000


def clean(actions: Any, allowed: tuple[str, ...] = RULE_ACTIONS) -> list[dict[str, Any]]:
    """The actions in stored form (ids checked to exist), or Invalid."""
    if not isinstance(actions, list) or len(actions) > MAX_ACTIONS:
        raise Invalid(f"Actions are a list of at most {MAX_ACTIONS}.", field="actions")
    out = []
    for a in actions:
        if not isinstance(a, dict) or a.get("type") not in allowed:
            raise Invalid(f"Each action is {{type, value}}, type one of {', '.join(allowed)}.",
                          field="actions")  # fmt: skip
        out.append({"type": a["type"], "value": _value(a["type"], a.get("value"))})
    return out


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**53:
        raise Invalid("Expected an id.", field="actions")
    return value


def _value(kind: str, value: Any) -> Any:
    def exists(model: Any, pk: int, what: str) -> int:
        qs = model if isinstance(model, QuerySet) else model.objects
        if not qs.filter(pk=pk).exists():
            raise Invalid(f"There is no {what} {pk}.", field="actions")
        return pk

    if kind == "status":
        if not isinstance(value, str) or not Status.objects.filter(slug=value).exists():
            raise Invalid(f"There is no status {value!r}.", field="actions")
        return value
    if kind == "priority":
        if value not in Priority.label_names():
            raise Invalid(f"Priority is one of {', '.join(Priority.label_names())}.",
                          field="actions")  # fmt: skip
        return value
    if kind == "assignee":
        return exists(Person.objects.filter(is_active=True).exclude(staff_role=""),
                      _id(value), "staff member")  # fmt: skip
    if kind == "team":
        return exists(Party, _id(value), "party")
    if kind in ("add_tags", "remove_tags"):
        if not isinstance(value, list) or not value or len(value) > 20:
            raise Invalid("Tags are a list of names.", field="actions")
        try:
            return [clean_tag(str(v)) for v in value]
        except Invalid as exc:
            raise Invalid(str(exc), field="actions") from None
    if kind == "agreement":
        return exists(Agreement, _id(value), "agreement")
    if kind == "note":
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise Invalid(f"A note is text of at most {MAX_TEXT} characters.", field="actions")
        return value
    if kind == "reply_macro":
        return exists(Macro, _id(value), "macro")
    if kind == "webhook":
        return exists(Webhook, _id(value), "webhook")
    if kind == "notify":
        if not isinstance(value, dict):
            raise Invalid('Notify takes {"people": [ids], "assignee": bool, "text": …}.',
                          field="actions")  # fmt: skip
        people = value.get("people") or []
        if not isinstance(people, list) or len(people) > 50:
            raise Invalid("People are a list of ids.", field="actions")
        people = [_id(p) for p in people]
        if Person.objects.filter(pk__in=people).count() != len(set(people)):
            raise Invalid("Some of those people do not exist.", field="actions")
        text = value.get("text") or ""
        if not isinstance(text, str) or len(text) > 500:
            raise Invalid("The notice's text is at most 500 characters.", field="actions")
        return {"people": people, "assignee": bool(value.get("assignee")), "text": text}
    raise Invalid(f"Unknown action {kind!r}.", field="actions")


def run(
    ticket: Ticket, steps: list[dict[str, Any]], *, actor: Person | None, owner: Person,
    label: str, event: Event | None = None,
) -> list[str]:  # fmt: skip
    """Apply `steps` to `ticket`; returns what each did (skipping what changed nothing)."""
    done: list[str] = []
    for step in steps:
        phrase = _step(ticket, step["type"], step["value"], actor, owner, label, event)
        if phrase:
            done.append(phrase)
    return done


def _step(
    ticket: Ticket, kind: str, value: Any, actor: Person | None, owner: Person, label: str,
    event: Event | None,
) -> str:  # fmt: skip
    if kind == "status":
        status = Status.objects.filter(slug=value).first()
        if status is None or status.pk == ticket.status_id:
            return ""
        tickets.set_status(actor, ticket, status)
        return f"set status {status.name}"
    if kind == "priority":
        priority = int(Priority.from_name(value))
        if priority == ticket.priority:
            return ""
        tickets.set_priority(actor, ticket, priority)
        return f"set priority {value}"
    if kind == "assignee":
        person = Person.objects.filter(pk=value).first()
        if person is None or person.pk == ticket.assignee_id:
            return ""
        tickets.assign(actor, ticket, person)
        return f"assigned {person.display_name}"
    if kind == "team":
        party = Party.objects.filter(pk=value).first()
        if party is None or party.pk == ticket.provider_party_id:
            return ""
        hand_off(owner, ticket, provider=party, subject=ticket.subject,
                 note=f"Handed off by {label}.", share_request=True)  # fmt: skip
        return f"handed off to {party.name}"
    if kind == "add_tags":
        tickets.tag(actor, ticket, value)
        return f"tagged {', '.join(value)}"
    if kind == "remove_tags":
        tickets.untag(actor, ticket, value)
        return f"untagged {', '.join(value)}"
    if kind == "agreement":
        agreement = Agreement.objects.filter(pk=value).first()
        if agreement is None or agreement.pk == ticket.agreement_id:
            return ""
        tickets.set_agreement(actor, ticket, agreement)
        return f"set agreement {agreement.name}"
    if kind == "note":
        tickets.add_note(actor, ticket, body=value)  # type: ignore[arg-type]
        return "added a note"
    if kind == "reply_macro":
        macro = Macro.objects.filter(pk=value, is_active=True).first()
        if macro is None:
            return ""
        author = ticket.assignee if ticket.assignee_id else owner
        body = render.render(macro.body, ticket, author)
        tickets.reply(actor, ticket, body=body, author=author)
        return f"replied with macro {macro.title}"
    if kind == "notify":
        people = list(Person.objects.filter(pk__in=value["people"]))
        if value.get("assignee") and ticket.assignee_id:
            people.append(ticket.assignee)  # type: ignore[arg-type]
        text = value.get("text") or f"{label} on #{ticket.pk} {ticket.subject}"
        sent = notify(people, "automation", ticket, text)
        return f"notified {len(sent)}" if sent else ""
    if kind == "webhook":
        hook = Webhook.objects.filter(pk=value, is_active=True).first()
        if hook is None or event is None:
            return ""
        enqueue(hook, event, ticket)
        return f"called webhook {hook.name}"
    raise ValueError(kind)


def payload(event: Event, ticket: Ticket) -> dict[str, Any]:
    """What a webhook receives: the event and the ticket's headline fields, no text."""
    return {
        "event": {"id": event.pk, "kind": event.kind, "field": event.field,
                  "old": event.old_value, "new": event.new_value,
                  "at": event.created_at.isoformat(),
                  "data": {k: v for k, v in (event.data or {}).items() if k != "muted"}},
        "ticket": {"number": ticket.pk, "subject": ticket.subject,
                   "status": ticket.status_category, "priority": ticket.priority_name,
                   "provider": ticket.provider_party_id, "client": ticket.client_party_id,
                   "assignee": ticket.assignee_id},
    }  # fmt: skip


@transaction.atomic
def enqueue(hook: Webhook, event: Event, ticket: Ticket) -> Delivery | None:
    """One delivery per (webhook, event), however often the event is seen."""
    now = clock.now()
    delivery, created = Delivery.objects.get_or_create(
        webhook=hook, event=event,
        defaults={"payload": payload(event, ticket), "next_attempt_at": now,
                  "created_at": now, "updated_at": now},
    )  # fmt: skip
    return delivery if created else None
