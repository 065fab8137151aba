"""Each trigger opens exactly one review, also when its reaction runs twice."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.core.choices import StatusCategory
from rapport.improvement import actions, reactions
from rapport.improvement.models import Review, Trigger
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets import events
from rapport.tickets.models import Event, Message, Ticket
from rapport.tickets.reactor import subscribers
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db


def _again(event: Event) -> None:
    """Run every improvement handler of the event's kind a second time."""
    ticket = Ticket.objects.get(pk=event.ticket_id)
    for sub in subscribers().values():
        if sub.name.startswith("improvement.") and event.kind in sub.kinds:
            sub.handler(event, ticket)


def _fire(ticket: Ticket, kind: str, **data: Any) -> Event:
    event = events.append(ticket, None, kind, **data)
    drain_reactions()
    _again(event)
    return event


CASES = [
    ("sla_breached", {"clock": "resolution", "agreement": None}, Trigger.BREACH),
    ("survey_answer", {"csat": 2}, Trigger.CSAT),
    ("survey_answer", {"csat": 4, "ces": 6}, Trigger.CES),
    ("survey_answer", {"nps": 6}, Trigger.NPS),
    ("reopened", {}, Trigger.REOPEN),
    ("complaint", {"message": 1}, Trigger.COMPLAINT),
    ("qa_critical_fail", {"review": 77, "agent": None, "provider": None}, Trigger.QA_CRITICAL),
]


@pytest.mark.parametrize(("kind", "data", "trigger"), CASES)
def test_each_trigger_opens_exactly_one_review(
    world: World, kind: str, data: dict[str, Any], trigger: str
) -> None:
    ticket = world.ticket()
    if kind == "sla_breached":
        data = {**data, "agreement": world.sla.pk}
    _fire(ticket, kind, **data)
    reviews = list(Review.objects.filter(ticket=ticket))
    assert [r.trigger for r in reviews] == [trigger]
    assert reviews[0].provider_id == world.support.party.pk
    if kind == "sla_breached":
        assert reviews[0].detail["agreement_kind"] == "sla"


def test_happy_answers_open_nothing(world: World) -> None:
    ticket = world.ticket()
    _fire(ticket, "survey_answer", csat=5, ces=2, nps=9)
    _fire(ticket, "survey_answer", csat=3, nps=7)
    assert not Review.objects.exists()


def test_a_survey_answered_in_two_steps_opens_one_review(world: World) -> None:
    ticket = world.ticket()
    _fire(ticket, "survey_answer", csat=1)
    _fire(ticket, "survey_answer", csat=1, nps=2)
    assert Review.objects.filter(ticket=ticket).count() == 1


def test_a_real_reopen_opens_a_review(world: World) -> None:
    ticket = world.ticket()
    ticket_actions.set_status(
        world.agent, ticket, ticket_actions.default_status(StatusCategory.SOLVED)
    )
    ticket_actions.set_status(
        world.agent, ticket, ticket_actions.default_status(StatusCategory.OPEN)
    )
    drain_reactions()
    assert list(Review.objects.values_list("trigger", flat=True)) == [Trigger.REOPEN]


def test_flagging_a_complaint_twice_opens_one_review(world: World) -> None:
    ticket = world.ticket()
    message = Message.objects.filter(ticket=ticket).first()
    assert message is not None
    actions.flag_complaint(world.agent, message, note="Angry about the refund")
    actions.flag_complaint(world.agent, message)
    drain_reactions()
    assert Event.objects.filter(ticket=ticket, kind="complaint").count() == 1
    review = Review.objects.get()
    assert review.trigger == Trigger.COMPLAINT and review.detail["note"] == "Angry about the refund"


def test_a_vendor_breach_opens_its_review_with_the_uc_kind(world: World) -> None:
    handed = world.handoff()
    _fire(handed, "sla_breached", clock="resolution", agreement=world.uc.pk)
    review = Review.objects.get()
    assert review.provider_id == world.vendor.party.pk
    assert review.detail["agreement_kind"] == "uc"


def test_disabled_trigger_opens_nothing(world: World) -> None:
    actions.set_rule(world.admin, Trigger.REOPEN, enabled=False, share=100)
    _fire(world.ticket(), "reopened")
    assert not Review.objects.exists()


def test_reviewers_are_given_in_turn(world: World) -> None:
    actions.set_reviewers(world.admin, world.support.party, [world.lead, world.manager])
    for _ in range(4):
        _fire(world.ticket(), "reopened")
    given = sorted(Review.objects.values_list("reviewer__username", flat=True))
    assert given == ["lead", "lead", "manager", "manager"]


def test_handler_names() -> None:
    names = {n for n in subscribers() if n.startswith("improvement.")}
    assert names == {
        f"improvement.{f}"
        for f in (
            "breached_clock",
            "unhappy_answer",
            "reopened",
            "complaint",
            "critical_quality_fail",
        )
    }
    assert reactions.CSAT_LOW == 2
