from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.testing import World
from rapport.tickets import actions


def test_merge_moves_the_thread_and_closes_the_source(world: World) -> None:
    target = world.ticket("contact", subject="Printer on fire")
    source = world.ticket("colleague", subject="Smoke on floor 2", body="I smell smoke")
    actions.tag(world.agent, source, ["fire"])
    actions.add_note(world.agent, source, body="Same incident")

    actions.merge(world.agent, source, target)
    source.refresh_from_db()
    target.refresh_from_db()

    assert source.merged_into == target and source.status_category == "closed"
    assert [m.body_text for m in target.messages.order_by("created_at", "id")] == [
        "The printer on floor 2 is on fire.",
        "I smell smoke",
        "Same incident",
    ]
    assert target.message_count == 2  # public messages only
    assert list(target.tags.values_list("name", flat=True)) == ["fire"]
    assert source.events.filter(kind="merged_into", new_value=f"#{target.pk}").exists()
    assert target.events.filter(kind="merged", new_value=f"#{source.pk}").exists()


def test_merged_ticket_takes_no_replies(world: World) -> None:
    target, source = world.ticket("contact"), world.ticket("contact")
    actions.merge(world.agent, source, target)
    with pytest.raises(Conflict, match="merged into"):
        actions.reply(world.contact, source, body="hello")


def test_merge_rules(world: World) -> None:
    a, b = world.ticket("contact"), world.ticket("contact")
    with pytest.raises(Invalid):
        actions.merge(world.agent, a, a)
    with pytest.raises(PermissionDenied):
        actions.merge(world.contact, a, b)
    actions.merge(world.agent, a, b)
    with pytest.raises(Conflict):
        actions.merge(world.agent, a, b)
