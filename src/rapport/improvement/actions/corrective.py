"""Corrective actions, routed by cause, and their lifecycle.

Closing a review or a problem *proposes* the action that fits its cause; the reviewer
confirms it (or edits it first):

- policy, procedure → a change proposal on the linked document (what is wrong, why
  and the fix pre-filled from the review), filed through the policies app;
- training → a training assignment for the people or team involved;
- personnel → a coaching plan for the person, owned by their lead;
- management → a coaching and observation task for the responsible lead;
- a vendor or contractor responsible → also a review of the underpinning contract for
  the team that buys from it (and the open action counts on that provider's scorecard,
  `queries.open_actions_by_provider`);
- outside our control → nothing to correct.

Training and personnel, once confirmed, append `corrective_action` on the review's
ticket so the people app can create the assignment or reassessment.

**Tasks, not tickets.** An action is a task with its own clock: an owner, a due date,
a state, overdue when open past its date, on time when done by it (the actions page
shows the on-time rate). A ticket would need a client party and an agreement that an
internal correction does not have, and a vendor's ticket thread would carry the
review's whys to the vendor, who may see the action and nothing of the review behind
it. The one action whose work *is* a service request, the change proposal, does become
a ticket: the policies app raises it to the document's owning team, measured by that
team's agreement like any request.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid
from rapport.directory.models import PartyKind, Person
from rapport.improvement import queries
from rapport.improvement.actions._common import require_staff, scope_of, text
from rapport.improvement.models import (
    ActionKind,
    ActionState,
    Cause,
    CorrectiveAction,
    Problem,
    Review,
    Trigger,
)
from rapport.policies import actions as policy_actions
from rapport.policies.models import Document
from rapport.tickets import events
from rapport.tickets.permissions import can_view

ROUTES = {
    Cause.POLICY: ActionKind.CHANGE_PROPOSAL,
    Cause.PROCEDURE: ActionKind.CHANGE_PROPOSAL,
    Cause.TRAINING: ActionKind.TRAINING,
    Cause.PERSONNEL: ActionKind.COACHING,
    Cause.MANAGEMENT: ActionKind.COACHING,
}
DUE_DAYS = {ActionKind.TRAINING: 30, ActionKind.UC_REVIEW: 30}
DEFAULT_DUE_DAYS = 14
PEOPLE_CAUSES = (Cause.TRAINING, Cause.PERSONNEL)


def _owner_for(party_id: int | None) -> Person | None:
    leads = queries.leads_of(party_id)
    return leads[0] if leads else queries.a_manager()


def _prefill(reviews: list[Review]) -> tuple[str, str]:
    """What is wrong and why, from the reviews: their triggers and tickets, the whys."""
    labels = dict(Trigger.choices)
    wrong = "; ".join(
        f"{labels.get(r.trigger, r.trigger)}"
        + (f" on ticket #{r.ticket_id}" if r.ticket_id else "")
        for r in reviews[:10]
    )
    whys = [w for r in reviews for w in r.whys]
    why = "\n".join(f"{i}. {w}" for i, w in enumerate(whys[:5], 1)) or "Found by an outcome review."
    return wrong or "A bad outcome was reviewed.", why


def propose_for(
    *, review: Review | None = None, problem: Problem | None = None
) -> list[CorrectiveAction]:
    """The actions that fit the cause, as proposals for the reviewer to confirm."""
    if review is not None:
        reviews, cause = [review], review.cause
        provider = review.responsible or review.provider
    elif problem is not None:
        reviews = list(problem.reviews.select_related("ticket", "responsible", "provider"))
        cause = problem.cause
        provider = problem.provider or next(
            (r.responsible or r.provider for r in reviews if r.responsible or r.provider), None
        )
    else:
        raise ValueError("a review or a problem")
    today = clock.now().date()
    wrong, why = _prefill(reviews)
    documents = [d for r in reviews for d in r.documents.select_related("owner").all()]
    ticket = next((r.ticket for r in reviews if r.ticket_id), None)
    team = queries.team_of(provider.pk) if provider is not None else None
    people = [ticket.assignee_id] if ticket is not None and ticket.assignee_id else []
    base: dict[str, Any] = {
        "review": review,
        "problem": problem,
        "cause": cause,
        "provider": provider,
        "team": team,
        "created_at": clock.now(),
    }
    made = []
    kind = ROUTES.get(cause)  # type: ignore[call-overload]
    if kind == ActionKind.CHANGE_PROPOSAL:
        fitting = [d for d in documents if d.kind == cause] or documents
        document = fitting[0] if fitting else None
        made.append(
            CorrectiveAction(
                **base,
                kind=kind,
                document=document,
                owner=document.owner if document else None,
                title=f"Change proposal: {document.title}" if document else f"Change the {cause}",
                what_is_wrong=wrong,
                why=why,
                detail=review.cause_reason if review is not None and review.cause_reason else "",
                due_on=today + timedelta(days=DEFAULT_DUE_DAYS),
            )
        )
    elif kind == ActionKind.TRAINING:
        made.append(
            CorrectiveAction(
                **base,
                kind=kind,
                owner=_owner_for(team.party_id if team else None),
                title=f"Training for {team.name if team else 'the people involved'}",
                detail=why,
                people=people,
                document=documents[0] if documents else None,
                due_on=today + timedelta(days=DUE_DAYS[kind]),
            )
        )
    elif kind == ActionKind.COACHING:
        lead = _owner_for(team.party_id if team else None)
        title = (
            "Coach and observe the responsible lead"
            if cause == Cause.MANAGEMENT
            else "Coaching plan for the person involved"
        )
        made.append(
            CorrectiveAction(
                **base,
                kind=kind,
                owner=lead,
                title=title,
                detail=why,
                people=people if cause == Cause.PERSONNEL else ([lead.pk] if lead else []),
                due_on=today + timedelta(days=DEFAULT_DUE_DAYS),
            )
        )
    if (
        cause != Cause.OUTSIDE
        and provider is not None
        and provider.kind in (PartyKind.VENDOR, PartyKind.CONTRACTOR)
    ):
        buyer = reviews[0].team if reviews and reviews[0].team_id else None
        made.append(
            CorrectiveAction(
                **{**base, "team": buyer},
                kind=ActionKind.UC_REVIEW,
                owner=_owner_for(buyer.party_id if buyer else None),
                title=f"Review the underpinning contract with {provider.name}",
                detail=why,
                due_on=today + timedelta(days=DUE_DAYS[ActionKind.UC_REVIEW]),
            )
        )
    for action in made:
        action.save()
    return made


def _action(actor: Person | None, action: CorrectiveAction, doing: str) -> CorrectiveAction:
    scope = require_staff(actor, doing)
    queries.get_action(scope, action.pk)
    return (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("review__ticket", "problem", "document")
        .get(pk=action.pk)
    )


def _due(value: date | None, field: str = "due_on") -> date | None:
    if value is None:
        return None
    today = clock.now().date()
    if not today - timedelta(days=365) <= value <= today + timedelta(days=3 * 365):
        raise Invalid("A due date within three years.", field=field)
    return value


@transaction.atomic
def confirm(
    actor: Person | None,
    action: CorrectiveAction,
    *,
    title: str | None = None,
    detail: str | None = None,
    what_is_wrong: str | None = None,
    why: str | None = None,
    owner: Person | None = None,
    due_on: date | None = None,
    document: Document | None = None,
) -> CorrectiveAction:
    """The reviewer confirms a proposed action (edited or as proposed): it opens, and
    a change proposal is filed, or the people app is told."""
    action = _action(actor, action, "confirm a corrective action")
    if action.state != ActionState.PROPOSED:
        raise Conflict(f"The action is {action.get_state_display().lower()} already.")
    if title is not None:
        action.title = text(title, "title", required=True, limit=200)
    if detail is not None:
        action.detail = text(detail, "detail")
    if what_is_wrong is not None:
        action.what_is_wrong = text(what_is_wrong, "what_is_wrong")
    if why is not None:
        action.why = text(why, "why")
    if owner is not None:
        if not owner.staff_role:
            raise Invalid(f"{owner.display_name} is not staff.", field="owner")
        action.owner = owner
    action.due_on = _due(due_on) or action.due_on
    if document is not None:
        action.document = document
    if action.owner_id is None:
        raise Invalid("Choose who owns the action.", field="owner")
    now = clock.now()
    ticket = action.review.ticket if action.review is not None else None
    if action.kind == ActionKind.CHANGE_PROPOSAL:
        if action.document is None:
            raise Invalid("Link the policy or procedure to change.", field="document")
        scope = scope_of(actor)
        linked = [ticket] if ticket is not None and can_view(scope, ticket) else []
        proposal = policy_actions.file_proposal(
            actor,
            action.document,
            what_is_wrong=action.what_is_wrong or action.title,
            why=action.why or action.title,
            proposed_fix=action.detail or "To be drafted.",
            tickets=linked,
            automatic=actor is None,
            proposer=actor or action.owner,
        )
        action.proposal = proposal
        action.owner = action.document.owner
    action.state = ActionState.OPEN
    action.confirmed_at = now
    action.save()
    if action.cause in PEOPLE_CAUSES and ticket is not None:
        # The contract with the people app: it creates the training assignment or the
        # reassessment; this action stays a task with a due date either way.
        events.append(
            ticket,
            actor,
            "corrective_action",
            new=action.cause,
            action=action.pk,
            cause=action.cause,
            people=list(action.people),
            team=action.team_id,
            document=action.document_id,
            due=action.due_on.isoformat(),
        )
    return action


@transaction.atomic
def complete(actor: Person | None, action: CorrectiveAction) -> CorrectiveAction:
    """Done: its effectiveness check is due `effectiveness_days` later."""
    action = _action(actor, action, "complete a corrective action")
    if action.state != ActionState.OPEN:
        raise Conflict("Only an open action can be done.")
    now = clock.now()
    action.state = ActionState.DONE
    action.done_at = now
    action.check_on = now.date() + timedelta(days=queries.preferences().effectiveness_days)
    action.save(update_fields=["state", "done_at", "check_on"])
    return action


@transaction.atomic
def cancel(actor: Person | None, action: CorrectiveAction, *, reason: str) -> CorrectiveAction:
    action = _action(actor, action, "cancel a corrective action")
    if action.state not in (ActionState.PROPOSED, ActionState.OPEN):
        raise Conflict(f"The action is {action.get_state_display().lower()} already.")
    action.state = ActionState.CANCELLED
    action.cancel_reason = text(reason, "reason", required=True, limit=500)
    action.save(update_fields=["state", "cancel_reason"])
    return action


@transaction.atomic
def reassign(
    actor: Person | None,
    action: CorrectiveAction,
    *,
    owner: Person | None = None,
    due_on: date | None = None,
) -> CorrectiveAction:
    action = _action(actor, action, "change a corrective action")
    if action.state not in (ActionState.PROPOSED, ActionState.OPEN):
        raise Conflict("Only a proposed or open action changes.")
    if owner is not None:
        if not owner.staff_role:
            raise Invalid(f"{owner.display_name} is not staff.", field="owner")
        action.owner = owner
    action.due_on = _due(due_on) or action.due_on
    action.save(update_fields=["owner", "due_on"])
    return action
