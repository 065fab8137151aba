"""The customer-factor review: no approval without it, a "no" blocks, reviewer ≠ author."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, PermissionDenied
from rapport.policies import actions
from rapport.policies.models import Status
from rapport.policies.tests.libworld import REFUNDS, reviewed
from rapport.testing import World


def _policy(world: World) -> object:
    return actions.create_document(world.manager, kind="policy", title="Refunds", body=REFUNDS,
                                   owner=world.manager, team=world.support)  # fmt: skip


def test_approving_without_a_review_is_a_field_error(world: World) -> None:
    doc = _policy(world)
    version = doc.versions.get()  # type: ignore[attr-defined]
    actions.submit(world.manager, version)
    with pytest.raises(Invalid) as exc:
        actions.approve(world.manager, version)
    assert exc.value.field == "review"


def test_the_author_cannot_review_their_own_version(world: World) -> None:
    doc = _policy(world)
    version = doc.versions.get()  # type: ignore[attr-defined]
    actions.submit(world.manager, version)
    with pytest.raises(PermissionDenied):
        actions.record_review(world.manager, version, answer="yes", customer_view="a",
                              employee_view="b", company_view="c", partner_view="d",
                              autonomy="e")  # fmt: skip


def test_a_policy_review_needs_all_four_standpoints_and_autonomy(world: World) -> None:
    doc = _policy(world)
    version = doc.versions.get()  # type: ignore[attr-defined]
    actions.submit(world.manager, version)
    with pytest.raises(Invalid) as exc:
        actions.record_review(world.lead, version, answer="yes", customer_view="a",
                              employee_view="b", company_view="c", autonomy="e")  # fmt: skip
    assert exc.value.field == "partner_view"


def test_a_no_blocks_approval(world: World) -> None:
    doc = _policy(world)
    version = reviewed(world, doc, answer="no")  # type: ignore[arg-type]
    with pytest.raises(Invalid) as exc:
        actions.approve(world.manager, version)
    assert exc.value.field == "review" and "no" in exc.value.detail


def test_outside_customer_service_lifts_the_no_with_a_reason(world: World) -> None:
    doc = _policy(world)
    version = reviewed(world, doc, answer="no")  # type: ignore[arg-type]
    with pytest.raises(Invalid) as exc:
        actions.mark_outside_customer_service(world.manager, doc, outside=True)  # type: ignore[arg-type]
    assert exc.value.field == "reason"
    actions.mark_outside_customer_service(
        world.manager,
        doc,
        outside=True,  # type: ignore[arg-type]
        reason="Fire safety: not a service matter.",
    )
    assert actions.approve(world.manager, version).status == Status.APPROVED


def test_a_partly_passes_the_gate(world: World) -> None:
    doc = _policy(world)
    version = reviewed(world, doc, answer="partly")  # type: ignore[arg-type]
    assert actions.approve(world.manager, version).status == Status.APPROVED


def test_procedures_get_the_lighter_review(world: World) -> None:
    doc = actions.create_document(world.manager, kind="procedure", title="Returns",
                                  body="1. Ask for the order number.", owner=world.manager,
                                  team=world.support)  # fmt: skip
    version = doc.versions.get()
    actions.submit(world.manager, version)
    with pytest.raises(Invalid) as exc:
        actions.record_review(world.lead, version, answer="yes", customer_view="Faster.")
    assert exc.value.field == "new_hire_can_follow"
    actions.record_review(world.lead, version, answer="yes", customer_view="Faster.",
                          new_hire_can_follow=False)  # fmt: skip
    with pytest.raises(Invalid):
        actions.approve(world.manager, version)
    actions.record_review(world.lead, version, answer="yes", customer_view="Faster.",
                          new_hire_can_follow=True)  # fmt: skip
    assert actions.approve(world.manager, version).status == Status.APPROVED


def test_articles_publish_without_review(world: World) -> None:
    doc = actions.create_document(
        world.agent,
        kind="article",
        title="Reset the router",
        body="Unplug it.",
        owner=world.agent,
        team=world.support,
    )
    actions.publish(world.agent, doc.versions.get())
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED
