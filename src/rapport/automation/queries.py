"""Reads: the rules, macros and webhooks a person may see, and the facts rules decide on.

`facts_for` loads, for a batch of tickets, only what the rule's conditions name, in a
fixed number of queries whatever the batch size (tags, requester organisations,
messages, the time a ticket went pending, running clocks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Max, Q, QuerySet

from rapport.automation import conditions as cond
from rapport.automation.models import Delivery, Macro, Rule, Visibility, Webhook
from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.models import OrgMembership, Person, TeamMembership
from rapport.directory.queries import Scope, scope_for
from rapport.sla.business_time import business_minutes_between, is_open_at
from rapport.sla.models import ClockState, TicketClock
from rapport.sla.queries import view_clocks
from rapport.tickets.models import Event, Message, Side, Ticket, TicketTag

DRY_RUN_LIST = 50


def require_admin(person: Person | None) -> Scope:
    """Rules and webhooks are the admins' (404 for everyone else, who may not know them)."""
    if person is None:
        return Scope(person_id=None, staff_role="admin")
    scope = scope_for(person)
    if not scope.is_admin:
        raise PermissionDenied("Only admins manage triggers, automations and webhooks.")
    return scope


def rules(kind: str) -> QuerySet[Rule]:
    return Rule.objects.filter(kind=kind).select_related("owner").order_by("position", "id")


def rule(person: Person, kind: str, rule_id: int) -> Rule:
    require_admin(person)
    found = rules(kind).filter(pk=rule_id).first()
    if found is None:
        raise NotFound(f"There is no {kind} {rule_id}.")
    return found


def active_triggers() -> list[Rule]:
    return list(Rule.objects.filter(kind="trigger", is_active=True).order_by("position", "id"))


def webhooks() -> QuerySet[Webhook]:
    return Webhook.objects.select_related("owner").order_by("name", "id")


def webhook(person: Person, webhook_id: int) -> Webhook:
    require_admin(person)
    found = webhooks().filter(pk=webhook_id).first()
    if found is None:
        raise NotFound(f"There is no webhook {webhook_id}.")
    return found


def deliveries(hook: Webhook) -> QuerySet[Delivery]:
    return Delivery.objects.filter(webhook=hook).order_by("-id")


# --- macros -------------------------------------------------------------------------


def macros_for(person: Person) -> QuerySet[Macro]:
    """The macros a staff member may use: everyone's, their teams', their own."""
    scope = scope_for(person)
    if not scope.is_staff:
        return Macro.objects.none()
    teams = TeamMembership.objects.filter(person=person).values("team_id")
    return (
        Macro.objects.filter(is_active=True)
        .filter(
            Q(visibility=Visibility.EVERYONE)
            | Q(visibility=Visibility.TEAM, team_id__in=teams)
            | Q(visibility=Visibility.PERSONAL, owner=person)
        )
        .select_related("document__published", "owner", "team")
        .order_by("title", "id")
    )


def search_macros(person: Person, text: str, limit: int = 10) -> list[Macro]:
    qs = macros_for(person)
    text = text.strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(shortcut__istartswith=text))
    return list(qs.order_by("-usage_count", "title", "id")[:limit])


def macro(person: Person, macro_id: int) -> Macro:
    found = macros_for(person).filter(pk=macro_id).first()
    if found is None:
        raise NotFound(f"There is no macro {macro_id}.")
    return found


def macro_flag(m: Macro) -> str:
    """Why the macro needs review: its procedure was retired or has a newer version
    (needs `document__published` loaded)."""
    doc = m.document
    if doc is None:
        return ""
    if doc.status == "retired":
        return f"“{doc.title}” was retired."
    published = doc.published.number if doc.published_id and doc.published else None
    if published is not None and m.document_version is not None and published != m.document_version:
        return f"“{doc.title}” is now at version {published} (macro follows {m.document_version})."
    return ""


# --- the facts rules decide on ------------------------------------------------------


def candidates(conditions: dict[str, list[dict[str, Any]]]) -> QuerySet[Ticket]:
    """Tickets a time-based rule may act on: not merged away, narrowed by the columns."""
    return (
        Ticket.objects.filter(merged_into__isnull=True)
        .filter(cond.prefilter(conditions))
        .select_related("agreement__calendar", "requester", "status")
        .order_by("id")
    )


def facts_for(
    tickets: Sequence[Ticket], needs: set[str], now: datetime, event: Event | None = None
) -> list[cond.Facts]:
    facts = [cond.Facts(ticket=t, now=now, event=event) for t in tickets]
    by_id = {f.ticket.pk: f for f in facts}
    ids = list(by_id)
    if not ids:
        return facts
    if "tags" in needs:
        for ticket_id, name in TicketTag.objects.filter(ticket_id__in=ids).values_list(
            "ticket_id", "tag__name"
        ):
            by_id[ticket_id].tags.add(name)
    if "organisation" in needs:
        requesters: dict[int, list[cond.Facts]] = defaultdict(list)
        for f in facts:
            requesters[f.ticket.requester_id].append(f)
        for person_id, org_id in OrgMembership.objects.filter(
            person_id__in=list(requesters)
        ).values_list("person_id", "organisation_id"):
            for f in requesters[person_id]:
                f.requester_orgs.add(org_id)
    if needs & {"unanswered_replies", "sentiment", "going_sour"}:
        rows = (
            Message.objects.filter(ticket_id__in=ids, is_internal=False)
            .order_by("ticket_id", "created_at", "id")
            .values_list("ticket_id", "author_side", "sentiment")
        )
        for ticket_id, side, sentiment in rows:
            f = by_id[ticket_id]
            if side == Side.CLIENT:
                f.unanswered += 1
                if sentiment is not None:
                    f.client_sentiments.append(sentiment)
            elif side == Side.PROVIDER:
                f.unanswered = 0
    if "business_hours" in needs:
        for f in facts:
            agreement = f.ticket.agreement
            f.business_open = is_open_at(agreement.calendar, now) if agreement else None
    if "hours_since_pending" in needs:
        since = dict(
            Event.objects.filter(
                ticket_id__in=ids, kind="status", data__new_category="pending_client"
            )
            .values("ticket_id")
            .annotate(at=Max("created_at"))
            .values_list("ticket_id", "at")
        )
        for f in facts:
            at = since.get(f.ticket.pk)
            if at is None:
                continue
            agreement = f.ticket.agreement
            minutes = (
                business_minutes_between(agreement.calendar, at, now)
                if agreement
                else (now - at).total_seconds() / 60
            )
            f.pending_business_hours = minutes / 60
    if "minutes_to_breach" in needs:
        clocks = TicketClock.objects.filter(
            ticket_id__in=ids, state=ClockState.RUNNING
        ).select_related("agreement__calendar")
        for view in view_clocks(clocks, now):
            f = by_id[view.clock.ticket_id]
            left = view.remaining_minutes
            if f.minutes_to_breach is None or left < f.minutes_to_breach:
                f.minutes_to_breach = left
    return facts


def matching(
    conditions: dict[str, list[dict[str, Any]]], now: datetime, *, batch: int = 2_000,
    after: int = 0,
) -> list[Ticket]:  # fmt: skip
    """Every ticket a time-based rule with these conditions matches at `now`."""
    needs = cond.needs(conditions)
    found: list[Ticket] = []
    qs = candidates(conditions)
    while True:
        chunk = list(qs.filter(pk__gt=after)[:batch])
        if not chunk:
            return found
        found += [f.ticket for f in facts_for(chunk, needs, now) if cond.matches(conditions, f)]
        after = chunk[-1].pk


def dry_run(kind: str, conditions: Any, now: datetime | None = None) -> dict[str, Any]:
    """How many current tickets these conditions match now, and the first of them: what
    the sweep would act on at its next run. A trigger's event conditions are left out
    (no event is happening), so a trigger's preview shows the tickets whose fields match."""
    clean = cond.clean(conditions, kind)
    if kind == "trigger":
        clean = {g: [c for c in items if c["field"] != "event_kind"] for g, items in clean.items()}
    found = matching(clean, now or clock.now())
    return {
        "count": len(found),
        "tickets": [
            {"number": t.pk, "subject": t.subject, "status": t.status_category,
             "priority": t.priority_name}
            for t in found[:DRY_RUN_LIST]
        ],
    }  # fmt: skip
