"""Saving rules, firing triggers on events, and the time-based sweep.

Triggers run inside the reaction that saw the event (`rapport.automation.reactions`):
one `Firing` per (rule, event) makes a replayed reaction fire a trigger once. Each
firing appends a `trigger` (or `automation`) event saying what the rule did, and a
loop guard holds a rule back after `max_per_hour` firings on one ticket in an hour
(the held-back firing is recorded, not run).

The sweep claims a due automation with a conditional UPDATE of its `next_run_at`
inside the transaction that then acts (PostgreSQL first takes the row with SKIP
LOCKED, so a second worker passes it by instead of waiting): two workers never run
the same rule at once, and the rule's nullifying condition (checked when it is saved)
keeps it from acting on a ticket twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Q

from rapport.automation import conditions as cond
from rapport.automation import queries
from rapport.automation.actions import apply
from rapport.automation.models import Firing, Rule, RuleKind
from rapport.core import clock
from rapport.core.errors import Invalid, RapportError
from rapport.directory.models import Person
from rapport.tickets import events
from rapport.tickets.models import Event, Status, Ticket

log = logging.getLogger(__name__)
SWEEP_EVERY = timedelta(minutes=5)
GUARD_WINDOW = timedelta(hours=1)
MAX_NAME = 120


def _clean(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    name = str(data.get("name") or "").strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"A name of 1–{MAX_NAME} characters is needed.", field="name")
    conditions = cond.clean(data.get("conditions"), kind)
    steps = apply.clean(data.get("actions"))
    if not steps:
        raise Invalid("A rule needs at least one action.", field="actions")
    max_per_hour = data.get("max_per_hour", 3)
    if (
        isinstance(max_per_hour, bool)
        or not isinstance(max_per_hour, int)
        or not (1 <= max_per_hour <= 100)
    ):
        raise Invalid("At most 1–100 firings per ticket and hour.", field="max_per_hour")
    if kind == RuleKind.AUTOMATION:
        statuses = dict(Status.objects.values_list("slug", "category"))
        if not cond.nullified(conditions, steps, statuses):
            raise Invalid(
                "An automation needs a condition its own actions make false (for example "
                "“status is solved” with the action “status closed”), or it would act on "
                "the same ticket at every sweep.",
                field="conditions",
            )
    return {
        "name": name, "description": str(data.get("description") or "")[:2000],
        "conditions": conditions, "actions": steps, "max_per_hour": max_per_hour,
        "is_active": bool(data.get("is_active", True)),
    }  # fmt: skip


@transaction.atomic
def create_rule(actor: Person | None, kind: str, data: dict[str, Any]) -> Rule:
    queries.require_admin(actor)
    if kind not in RuleKind.values:
        raise Invalid("Kind is trigger or automation.", field="kind")
    fields = _clean(kind, data)
    now = clock.now()
    last = Rule.objects.filter(kind=kind).aggregate(m=Max("position"))["m"]
    owner = actor or Person.objects.filter(staff_role="admin").order_by("id").first()
    if owner is None:
        raise Invalid("A rule needs an owner; create an admin first.")
    return Rule.objects.create(
        kind=kind, owner=owner, position=(last or 0) + 1, created_at=now, updated_at=now,
        **fields,
    )  # fmt: skip


@transaction.atomic
def update_rule(actor: Person | None, rule: Rule, data: dict[str, Any]) -> Rule:
    queries.require_admin(actor)
    merged = {
        "name": rule.name, "description": rule.description, "conditions": rule.conditions,
        "actions": rule.actions, "max_per_hour": rule.max_per_hour, "is_active": rule.is_active,
        **{k: v for k, v in data.items() if v is not None},
    }  # fmt: skip
    for key, value in _clean(rule.kind, merged).items():
        setattr(rule, key, value)
    if "position" in data and data["position"] is not None:
        position = data["position"]
        if (
            isinstance(position, bool)
            or not isinstance(position, int)
            or not (0 <= position <= 100_000)
        ):
            raise Invalid("Position is 0–100000.", field="position")
        rule.position = position
    rule.updated_at = clock.now()
    rule.next_run_at = None  # an edited automation runs at the next sweep
    rule.save()
    return rule


@transaction.atomic
def delete_rule(actor: Person | None, rule: Rule) -> None:
    queries.require_admin(actor)
    rule.delete()


# --- firing -----------------------------------------------------------------------


def _guarded(rule: Rule, ticket: Ticket, now: datetime) -> bool:
    recent = Firing.objects.filter(
        ticket=ticket, rule=rule, applied=True, created_at__gte=now - GUARD_WINDOW
    ).count()
    return recent >= rule.max_per_hour


def fire(rule: Rule, ticket: Ticket, now: datetime, event: Event | None = None) -> Firing:
    """Apply a matched rule to a ticket, or record that the loop guard held it back."""
    label = f"{rule.kind} {rule.name}"
    if _guarded(rule, ticket, now):
        log.warning("%s held back on #%s by its loop guard", label, ticket.pk)
        return Firing.objects.create(
            rule=rule, ticket=ticket, event=event, applied=False, created_at=now,
            summary=f"held back: more than {rule.max_per_hour} firings within an hour",
        )  # fmt: skip
    firing = Firing.objects.create(rule=rule, ticket=ticket, event=event, created_at=now)
    done = apply.run(ticket, rule.actions, actor=None, owner=rule.owner, label=label,
                     event=event)  # fmt: skip
    summary = f"{label} {', '.join(done) if done else 'changed nothing'}"[:300]
    recorded = events.append(ticket, None, rule.kind, new=summary, rule=rule.pk,
                             rule_name=rule.name, done=done)  # fmt: skip
    # A webhook step with no triggering event (an automation) sends its own firing.
    if event is None:
        for step in rule.actions:
            if step["type"] == "webhook":
                hook = apply.Webhook.objects.filter(pk=step["value"], is_active=True).first()
                if hook is not None:
                    apply.enqueue(hook, recorded, ticket)
    Firing.objects.filter(pk=firing.pk).update(summary=summary)
    Rule.objects.filter(pk=rule.pk).update(hit_count=F("hit_count") + 1, last_run_at=now)
    return firing


@transaction.atomic
def fire_triggers(event: Event, ticket: Ticket) -> list[Firing]:
    """Every active trigger whose conditions hold for this event, in order."""
    triggers = queries.active_triggers()
    if not triggers:
        return []
    seen = set(Firing.objects.filter(event=event).values_list("rule_id", flat=True))
    now = clock.now()
    fired = []
    needs: set[str] = set().union(*(cond.needs(r.conditions) for r in triggers))
    # Loaded once for every trigger, and again only after one has acted (the next
    # triggers see its changes).
    facts: cond.Facts | None = None
    for rule in triggers:
        if rule.pk in seen:
            continue  # a replayed reaction: this trigger already saw this event
        if not cond.cheap_ok(rule.conditions, ticket, event):
            continue
        if facts is None:
            facts = queries.facts_for([ticket], needs, now, event)[0]
        if not cond.matches(rule.conditions, facts):
            continue
        facts = None
        try:
            with transaction.atomic():
                fired.append(fire(rule, ticket, now, event))
        except RapportError as exc:
            # A step the ticket no longer allows (closed, merged): that rule is
            # skipped for this event, the others still run.
            log.warning("trigger %s on #%s: %s", rule.name, ticket.pk, exc)
    return fired


# --- the time-based sweep -------------------------------------------------------------


def _claim(rule_id: int, now: datetime) -> Rule | None:
    """Take a due automation for this transaction: nobody else runs it until next time."""
    due = Q(pk=rule_id, kind=RuleKind.AUTOMATION, is_active=True) & (
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    )
    if connection.vendor == "postgresql":
        rule = Rule.objects.select_for_update(skip_locked=True).filter(due).first()
        if rule is None:
            return None
    taken = Rule.objects.filter(due).update(next_run_at=now + SWEEP_EVERY)
    if taken != 1:
        return None
    return Rule.objects.select_related("owner").get(pk=rule_id)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Run every due automation once over the tickets it matches; safe in several workers."""
    now = now or clock.now()
    acted: dict[str, int] = {}
    due = list(
        Rule.objects.filter(kind=RuleKind.AUTOMATION, is_active=True)
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    for rule_id in due:
        with transaction.atomic():
            rule = _claim(rule_id, now)
            if rule is None:
                continue
            count = 0
            for ticket in queries.matching(rule.conditions, now):
                try:
                    with transaction.atomic():
                        fire(rule, ticket, now)
                        count += 1
                except RapportError as exc:
                    log.warning("automation %s on #%s: %s", rule.name, ticket.pk, exc)
            acted[rule.name] = count
    return acted
