"""Closing a review proposes the action its cause calls for; a personnel cause counts
only after a second reviewer agrees."""

from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.improvement import actions
from rapport.improvement.models import ActionKind, ActionState, Cause, Review, Trigger
from rapport.policies import actions as policy_actions
from rapport.policies.models import Document, Proposal
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event

pytestmark = pytest.mark.django_db


def _review(world: World, *, vendor: bool = False) -> Review:
    ticket = world.handoff() if vendor else world.ticket()
    if not vendor:
        ticket = ticket_actions.assign(world.agent, ticket, world.agent)
    review = actions.open_review(Trigger.CSAT, f"t:{ticket.pk}", ticket=ticket)
    assert review is not None
    return review


def _document(world: World, kind: str = "procedure") -> Document:
    return policy_actions.create_document(
        world.lead,
        kind=kind,
        title=f"Refunds {kind}",
        body="Step 1. Ask for the receipt.",
        owner=world.lead,
        team=world.support,
    )


def _close(world: World, review: Review, cause: str, **kw: object) -> Review:
    actions.record(world.agent, review, cause=cause, whys=["The step was missing"], **kw)  # type: ignore[arg-type]
    return actions.close(world.agent, review)


@pytest.mark.parametrize(
    ("cause", "kind"),
    [
        (Cause.POLICY, ActionKind.CHANGE_PROPOSAL),
        (Cause.PROCEDURE, ActionKind.CHANGE_PROPOSAL),
        (Cause.TRAINING, ActionKind.TRAINING),
        (Cause.MANAGEMENT, ActionKind.COACHING),
        (Cause.PERSONNEL, ActionKind.COACHING),
    ],
)
def test_each_cause_proposes_its_action(world: World, cause: str, kind: str) -> None:
    review = _review(world)
    docs = [_document(world, "policy" if cause == Cause.POLICY else "procedure")]
    _close(world, review, cause, documents=docs)
    proposed = list(review.actions.all())
    assert [(a.kind, a.state) for a in proposed] == [(kind, ActionState.PROPOSED)]
    action = proposed[0]
    if kind == ActionKind.CHANGE_PROPOSAL:
        assert action.document == docs[0] and action.owner == world.lead
        assert "The step was missing" in action.why
    else:
        assert action.owner == world.lead  # Support's lead


def test_outside_our_control_needs_a_reason_and_proposes_nothing(world: World) -> None:
    review = _review(world)
    actions.record(world.agent, review, cause=Cause.OUTSIDE)
    with pytest.raises(Invalid):
        actions.close(world.agent, review)
    actions.record(world.agent, review, cause=Cause.OUTSIDE, cause_reason="Power cut citywide")
    actions.close(world.agent, review)
    assert not review.actions.exists()


def test_no_close_without_a_cause(world: World) -> None:
    review = _review(world)
    with pytest.raises(Invalid, match="without a cause"):
        actions.close(world.agent, review)


def test_a_vendor_responsible_adds_a_contract_review(world: World) -> None:
    review = _review(world, vendor=True)
    _close(world, review, Cause.TRAINING)
    kinds = sorted(review.actions.values_list("kind", flat=True))
    assert kinds == [ActionKind.TRAINING, ActionKind.UC_REVIEW]
    uc = review.actions.get(kind=ActionKind.UC_REVIEW)
    assert uc.provider_id == world.vendor.party.pk and "PrintCo" in uc.title


def test_personnel_counts_only_after_a_second_agreement(world: World) -> None:
    review = _close(world, _review(world), Cause.PERSONNEL)
    review.refresh_from_db()
    assert review.counts is False
    with pytest.raises(PermissionDenied):
        actions.agree_personnel(world.agent, review)  # the one who closed it
    actions.agree_personnel(world.manager, review)
    review.refresh_from_db()
    assert review.counts is True and review.agreed_by == world.manager
    with pytest.raises(Conflict):
        actions.agree_personnel(world.manager, _close(world, _review(world), Cause.TRAINING))


def test_confirming_a_procedure_action_files_the_change_proposal(world: World) -> None:
    review = _review(world)
    doc = _document(world)
    _close(world, review, Cause.PROCEDURE, documents=[doc])
    action = review.actions.get()
    action = actions.confirm(world.agent, action, detail="Add a receipt check to step 1")
    proposal = Proposal.objects.get()
    assert action.proposal == proposal and action.state == ActionState.OPEN
    assert proposal.document == doc and proposal.proposed_fix == "Add a receipt check to step 1"
    assert proposal.ticket.provider_party_id == world.support.party.pk  # the owning team's queue


def test_confirming_training_tells_the_people_app(world: World) -> None:
    review = _review(world)
    _close(world, review, Cause.TRAINING)
    action = actions.confirm(world.agent, review.actions.get())
    event = Event.objects.get(kind="corrective_action")
    assert event.ticket_id == review.ticket_id
    assert event.data == {
        "action": action.pk,
        "cause": "training",
        "people": [world.agent.pk],
        "team": world.support.pk,
        "document": None,
        "due": action.due_on.isoformat(),
    }


def test_a_problem_closes_with_a_cause_and_proposes(world: World) -> None:
    reviews = [_review(world), _review(world)]
    problem = actions.create_problem(world.agent, title="Refunds go wrong", reviews=reviews)
    with pytest.raises(Invalid):
        actions.close_problem(world.agent, problem)
    actions.close_problem(world.agent, problem, cause=Cause.MANAGEMENT)
    assert [a.kind for a in problem.actions.all()] == [ActionKind.COACHING]


def test_only_staff_work_reviews(world: World) -> None:
    review = _review(world)
    with pytest.raises(PermissionDenied):
        actions.record(world.contact, review, cause=Cause.POLICY)
