"""Must-read versions: a read task per person in the audience, acknowledged per
version, with an optional check that must be passed."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, NotFound
from rapport.policies import actions, queries
from rapport.policies.models import ReadTask
from rapport.policies.tests.libworld import published_policy, reviewed
from rapport.testing import World

STAFF = {"admin", "manager", "agent", "lead", "other_agent"}


def test_publishing_a_must_read_assigns_everyone_on_staff(world: World) -> None:
    doc = published_policy(world, must_read=True)
    readers = set(ReadTask.objects.filter(version=doc.published).values_list(
        "person__username", flat=True))  # fmt: skip
    assert readers == STAFF


def test_a_team_audience_assigns_only_the_team(world: World) -> None:
    doc = published_policy(world, must_read=True, all_staff=False, audience_teams=[world.it])
    readers = set(ReadTask.objects.filter(version=doc.published).values_list(
        "person__username", flat=True))  # fmt: skip
    assert readers == {"other_agent"}


def test_acknowledging_counts_for_that_version_only(world: World) -> None:
    doc = published_policy(world, must_read=True)
    v1 = doc.published
    assert v1 is not None
    actions.acknowledge(world.agent, v1)
    assert not queries.my_reading(world.agent.pk).exists()
    actions.edit(world.manager, doc, body="Up to 80 EUR.", change_summary="Raise the cap")
    v2 = reviewed(world, doc)
    actions.approve(world.manager, v2)
    actions.publish(world.manager, v2, must_read=True)
    assert [t.version_id for t in queries.my_reading(world.agent.pk)] == [v2.pk]


def test_the_check_must_be_passed(world: World) -> None:
    doc = actions.create_document(world.manager, kind="policy", title="Refunds", body="x",
                                  owner=world.manager, team=world.support)  # fmt: skip
    version = doc.versions.get()
    actions.set_check(world.manager, version, [
        {"text": "Refund limit without approval?", "options": ["20", "50", "100"], "correct": 1},
        {"text": "Who approves above it?", "options": ["A lead", "Nobody"], "correct": 0},
    ])  # fmt: skip
    reviewed(world, doc)
    actions.approve(world.manager, version)
    actions.publish(world.manager, version, must_read=True)
    with pytest.raises(Invalid) as exc:
        actions.acknowledge(world.agent, version, [2, 0])
    assert exc.value.field == "answers" and "1 of 2" in exc.value.detail
    assert actions.acknowledge(world.agent, version, [1, 0]).acknowledged_at is not None


def test_at_most_five_questions(world: World) -> None:
    doc = actions.create_document(world.manager, kind="article", title="x", body="x",
                                  owner=world.manager, team=world.support)  # fmt: skip
    question = {"text": "q", "options": ["a", "b"], "correct": 0}
    with pytest.raises(Invalid) as exc:
        actions.set_check(world.manager, doc.versions.get(), [question] * 6)
    assert exc.value.field == "questions"


def test_no_task_no_acknowledgement(world: World) -> None:
    doc = published_policy(world)
    assert doc.published is not None
    with pytest.raises(NotFound):
        actions.acknowledge(world.contact, doc.published)
