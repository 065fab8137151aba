"""Exceptions on tickets: within autonomy or approved by the owner or lead; more than the
threshold in 30 days opens exactly one change proposal with the exceptions attached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.core import clock
from rapport.core.errors import Invalid, PermissionDenied
from rapport.policies import actions
from rapport.policies.models import ExceptionStatus, PolicyException, Proposal
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World


def _except(world: World, doc: object, n: int = 1) -> list[PolicyException]:
    return [
        actions.record_exception(
            world.agent,
            world.ticket("contact"),
            doc,  # type: ignore[arg-type]
            why="Loyal customer",
            instead="Refunded 70 EUR",
            within_autonomy=True,
        )
        for _ in range(n)
    ]


def test_beyond_autonomy_the_owner_or_lead_approves(world: World) -> None:
    doc = published_policy(world)
    ticket = world.ticket("contact")
    with pytest.raises(Invalid) as exc:
        actions.record_exception(world.agent, ticket, doc, why="a", instead="b",
                                 within_autonomy=False)  # fmt: skip
    assert exc.value.field == "approver"
    with pytest.raises(Invalid):
        actions.record_exception(
            world.agent,
            ticket,
            doc,
            why="a",
            instead="b",
            within_autonomy=False,
            approver=world.other_agent,
        )
    pending = actions.record_exception(
        world.agent, ticket, doc, why="a", instead="b", within_autonomy=False, approver=world.lead
    )
    assert pending.status == ExceptionStatus.PENDING
    with pytest.raises(PermissionDenied):
        actions.decide_exception(world.manager, pending, approve=True)
    decided = actions.decide_exception(world.lead, pending, approve=True)
    assert (decided.status, decided.approver) == (ExceptionStatus.APPROVED, world.lead)


def test_over_the_threshold_opens_exactly_one_proposal(world: World) -> None:
    doc = published_policy(world, exception_threshold=2)
    _except(world, doc, 2)
    assert not Proposal.objects.filter(document=doc).exists()
    third = _except(world, doc)[0]
    proposal = Proposal.objects.get(document=doc)
    assert proposal.automatic and proposal.exceptions.count() == 3
    assert proposal.linked_tickets.count() == 3
    third.refresh_from_db()
    assert third.proposal == proposal
    _except(world, doc, 2)  # more while it is open join it
    assert Proposal.objects.filter(document=doc).count() == 1
    assert proposal.exceptions.count() == 5


def test_old_exceptions_do_not_count(world: World) -> None:
    doc = published_policy(world, exception_threshold=2)
    start = clock.now()
    with clock.travel_to(start - timedelta(days=40)):
        _except(world, doc, 2)
    with clock.travel_to(start):
        _except(world, doc, 2)
    assert not Proposal.objects.filter(document=doc).exists()


def test_only_the_providing_staff_records_exceptions(world: World) -> None:
    doc = published_policy(world)
    with pytest.raises(PermissionDenied):
        actions.record_exception(world.contact, world.ticket("contact"), doc, why="a",
                                 instead="b", within_autonomy=True)  # fmt: skip


def test_exceptions_list_by_date(world: World) -> None:
    doc = published_policy(world)
    with clock.travel_to(datetime(2026, 1, 1, tzinfo=UTC)):
        pass
    _except(world, doc, 1)
    from rapport.policies.queries import recent_exceptions

    assert recent_exceptions(doc).count() == 1
