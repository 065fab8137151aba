"""The demo company's automation, written through the actions: for each team a
trigger that assigns mail to the team's first agent, an automation that escalates
urgent tickets near a breach, one that reminds clients pending for three business
days, one that closes tickets solved a week ago; macros per team and for everyone;
and a webhook to the in-app sink (`/automation/sink/<id>`), which verifies each
signature the way a receiver should, so the delivery log fills while `make run` runs.
"""

from __future__ import annotations

import os
from typing import Any

from rapport.automation.actions import macros, rules, webhooks
from rapport.directory.models import Person, Team, TeamMembership
from rapport.policies.models import Document

TEAMS = ("Customer Support", "Billing", "IT Service Desk")
ESCALATE_MINUTES = 30
REMIND_AFTER_HOURS = 24  # three business days of eight hours
CLOSE_AFTER_HOURS = 168


def c(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def build_automation(base_url: str | None = None) -> None:
    admin = Person.objects.filter(staff_role="admin", is_active=True).order_by("id").first()
    if admin is None:
        return
    reminder = macros.create_macro(admin, {
        "title": "Reminder: waiting for your reply", "shortcut": "remind",
        "visibility": "everyone",
        "body": "Hello {{ requester.first_name }},\n\nwe are still waiting for your answer on "
                "#{{ ticket.number }} ({{ ticket.subject }}). Reply to this message and we "
                "carry on; if it is solved for you, tell us and we close it.\n\n"
                "{{ agent.name }}",
    })  # fmt: skip
    macros.create_macro(admin, {
        "title": "Ask for more information", "shortcut": "info", "visibility": "everyone",
        "body": "Hello {{ requester.first_name }},\n\nto look into #{{ ticket.number }} we need "
                "a little more: what did you do just before it happened, and what did you "
                "see?\n\n{{ agent.name }}",
        "actions": [{"type": "status", "value": "pending"}],
    })  # fmt: skip
    procedure = Document.objects.filter(kind="procedure", status="published").order_by("id").first()
    for n, name in enumerate(TEAMS):
        team = Team.objects.filter(name=name).select_related("party").first()
        if team is None:
            continue
        members = list(
            TeamMembership.objects.filter(team=team).select_related("person").order_by("id")
        )
        lead = next((m.person for m in members if m.role == "lead"), None)
        worker = next((m.person for m in members if m.role != "lead"), lead)
        party = team.party.pk
        if worker is not None:
            rules.create_rule(admin, "trigger", {
                "name": f"{name}: assign new mail to {worker.display_name}",
                "conditions": {"all": [c("event_kind", "is", "created"),
                                       c("channel", "is", "email"), c("provider", "is", party),
                                       c("assignee", "is", None)]},
                "actions": [{"type": "assignee", "value": worker.pk}],
            })  # fmt: skip
        rules.create_rule(admin, "trigger", {
            "name": f"{name}: client chasing (3 replies unanswered)",
            "conditions": {"all": [c("event_kind", "is", "reply"), c("provider", "is", party),
                                   c("unanswered_replies", "gte", 3)]},
            "actions": [{"type": "priority", "value": "high"},
                        {"type": "note", "value": "The client wrote three times without an "
                                                  "answer: please reply first."}],
        })  # fmt: skip
        escalate: list[dict[str, Any]] = [{"type": "add_tags", "value": ["near-breach"]}]
        if lead is not None:
            escalate.append({"type": "notify", "value": {
                "people": [lead.pk], "assignee": True,
                "text": f"Urgent {name} ticket about to breach its target"}})  # fmt: skip
        rules.create_rule(admin, "automation", {
            "name": f"{name}: escalate urgent tickets near breach",
            "conditions": {"all": [c("provider", "is", party), c("priority", "is", "urgent"),
                                   c("minutes_to_breach", "lte", ESCALATE_MINUTES),
                                   c("tags", "excludes", "near-breach")]},
            "actions": escalate,
        })  # fmt: skip
        team_macro: dict[str, Any] = {
            "title": f"{name}: solved, as our procedure says", "shortcut": f"solved-{n + 1}",
            "visibility": "team", "team": team.pk,
            "body": "Hello {{ requester.first_name }},\n\nthis is done. If anything is still "
                    "not right, reply and the ticket opens again.\n\n{{ agent.name }}",
            "actions": [{"type": "status", "value": "solved"}],
        }  # fmt: skip
        if procedure is not None:
            team_macro["document"] = procedure.pk
        macros.create_macro(admin, team_macro)
    rules.create_rule(admin, "automation", {
        "name": "Remind clients pending for 3 business days",
        "conditions": {"all": [c("status", "is", "pending_client"),
                               c("hours_since_pending", "gte", REMIND_AFTER_HOURS),
                               c("tags", "excludes", "reminded")]},
        "actions": [{"type": "reply_macro", "value": reminder.pk},
                    {"type": "add_tags", "value": ["reminded"]}],
    })  # fmt: skip
    rules.create_rule(admin, "automation", {
        "name": "Close tickets solved 7 days ago",
        "conditions": {"all": [c("status", "is", "solved"),
                               c("hours_since_solved", "gte", CLOSE_AFTER_HOURS)]},
        "actions": [{"type": "status", "value": "closed"}],
    })  # fmt: skip
    base = (base_url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/").rstrip("/")
    hook = webhooks.create_webhook(admin, {
        "name": "Demo sink (in-app receiver)", "url": f"{base}/automation/sink/0",
        "kinds": ["created", "status", "sla_breached", "trigger", "automation"],
    })  # fmt: skip
    webhooks.update_webhook(admin, hook, {"url": f"{base}/automation/sink/{hook.pk}"})
