"""What automation does when something happens on a ticket: triggers fire, and
webhooks subscribed to the event's kind get a delivery (sent later by the worker)."""

from __future__ import annotations

from rapport.automation.actions import rules, webhooks
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to

# The kinds triggers react to. A rule's own `trigger`/`automation` events are left
# out so a trigger never fires on another's announcement (its field changes still
# count, under the loop guard).
TRIGGER_KINDS = (
    "created", "reply", "note", "status", "reopened", "assigned", "priority", "tagged",
    "untagged", "agreement", "subject", "handoff", "child_solved", "merged", "escalated",
    "sla_warning", "sla_breached", "survey", "survey_answer", "complaint",
    "qa_critical_fail", "corrective_action",
)  # fmt: skip
WEBHOOK_KINDS = (*TRIGGER_KINDS, "trigger", "automation")


@reacts_to(*TRIGGER_KINDS)
def run_triggers(event: Event, ticket: Ticket) -> None:
    if ticket.merged_into_id is None:
        rules.fire_triggers(event, ticket)


@reacts_to(*WEBHOOK_KINDS)
def queue_webhooks(event: Event, ticket: Ticket) -> None:
    webhooks.queue_for(event, ticket)
