"""Ordered sign-offs: who, when and a comment; a rejection returns the version to draft."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, PermissionDenied
from rapport.policies import actions
from rapport.policies.models import Status
from rapport.policies.tests.libworld import REFUNDS, reviewed
from rapport.testing import World


def _with_approvers(world: World) -> object:
    doc = actions.create_document(world.manager, kind="policy", title="Refunds", body=REFUNDS,
                                  owner=world.manager, team=world.support)  # fmt: skip
    actions.set_approvers(world.manager, doc, [(world.lead, "Team lead"), (world.admin, "Legal")])
    return doc


def test_sign_offs_go_in_order_and_the_last_approves(world: World) -> None:
    doc = _with_approvers(world)
    version = reviewed(world, doc)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        actions.sign_off(world.admin, version, decision="approved")
    first = actions.sign_off(world.lead, version, decision="approved", comment="Fine by me")
    assert (first.person, first.comment, first.approver.label) == (
        world.lead,
        "Fine by me",
        "Team lead",
    )
    version.refresh_from_db()
    assert version.status == Status.IN_REVIEW
    actions.sign_off(world.admin, version, decision="approved")
    version.refresh_from_db()
    assert version.status == Status.APPROVED


def test_a_sign_off_needs_the_review_first(world: World) -> None:
    doc = _with_approvers(world)
    version = doc.versions.get()  # type: ignore[attr-defined]
    actions.submit(world.manager, version)
    with pytest.raises(Invalid) as exc:
        actions.sign_off(world.lead, version, decision="approved")
    assert exc.value.field == "review"


def test_a_rejection_returns_to_draft_with_the_reason(world: World) -> None:
    doc = _with_approvers(world)
    version = reviewed(world, doc)  # type: ignore[arg-type]
    actions.sign_off(world.lead, version, decision="approved")
    with pytest.raises(Invalid) as exc:
        actions.sign_off(world.admin, version, decision="rejected")
    assert exc.value.field == "comment"
    actions.sign_off(world.admin, version, decision="rejected", comment="Cap must be in EUR net")
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.returned_reason == "Cap must be in EUR net"
    # Sent again, the sign-offs start over from the first approver.
    actions.submit(world.manager, version)
    with pytest.raises(PermissionDenied):
        actions.sign_off(world.admin, version, decision="approved")
