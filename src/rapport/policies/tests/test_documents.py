"""Documents: Markdown rendered and sanitised, versions, a published version never changes."""

from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.policies import actions
from rapport.policies.models import Status
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World


def test_markdown_is_rendered_and_sanitised(world: World) -> None:
    doc = actions.create_document(
        world.manager, kind="article", title="Printer help", owner=world.agent,
        team=world.support,
        body="# Reset\n\n**Hold** the button.\n\n<script>alert(1)</script>\n\n"
             "[click](javascript:alert(1))",
    )  # fmt: skip
    html = doc.versions.get().body_html
    assert "<h1>Reset</h1>" in html
    assert "<strong>Hold</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_editing_a_published_version_makes_a_new_draft(world: World) -> None:
    doc = published_policy(world)
    v1 = doc.published
    assert v1 is not None
    v2 = actions.edit(world.manager, doc, body="# Refunds\n\nUp to 80 EUR.", change_summary="Raise")
    assert (v2.number, v2.status, v2.change_summary) == (2, Status.DRAFT, "Raise")
    v1.refresh_from_db()
    assert v1.status == Status.PUBLISHED and "50 EUR" in v1.body_md
    doc.refresh_from_db()
    # Readers still see the published version while the draft is worked on.
    assert doc.status == Status.PUBLISHED and doc.published_id == v1.pk
    # A second edit of the draft changes the same draft.
    v2b = actions.edit(world.manager, doc, body="Up to 100 EUR.", change_summary="Raise more")
    assert v2b.pk == v2.pk and doc.versions.count() == 2


def test_publishing_supersedes_the_old_version(world: World) -> None:
    doc = published_policy(world)
    first = doc.published
    assert first is not None
    actions.edit(world.manager, doc, body="Up to 80 EUR.", change_summary="Raise")
    from rapport.policies.tests.libworld import reviewed

    v2 = reviewed(world, doc)
    actions.approve(world.manager, v2)
    actions.publish(world.manager, v2)
    doc.refresh_from_db()
    first.refresh_from_db()
    assert doc.published_id == v2.pk and first.status == Status.RETIRED


def test_a_version_in_review_cannot_be_edited(world: World) -> None:
    doc = actions.create_document(world.manager, kind="procedure", title="Returns",
                                  body="1. Ask for the order.", owner=world.manager,
                                  team=world.support)  # fmt: skip
    actions.submit(world.manager, doc.versions.get())
    with pytest.raises(Conflict):
        actions.edit(world.manager, doc, body="x", change_summary="y")


def test_only_owner_or_admin_edits_and_summary_is_required(world: World) -> None:
    doc = published_policy(world)
    with pytest.raises(PermissionDenied):
        actions.edit(world.agent, doc, body="x", change_summary="y")
    with pytest.raises(Invalid) as exc:
        actions.edit(world.admin, doc, body="x", change_summary=" ")
    assert exc.value.field == "change_summary"


def test_policies_cannot_be_shown_to_clients(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        actions.create_document(
            world.manager,
            kind="policy",
            title="Refunds",
            body="x",
            owner=world.manager,
            team=world.support,
            client_audience="all",
        )
    assert exc.value.field == "client_audience"
