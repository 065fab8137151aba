"""Review cadence: policies yearly, procedures and articles twice a year; re-confirm or redraft."""

from __future__ import annotations

from datetime import UTC, datetime

from rapport.core import clock
from rapport.policies import actions, queries
from rapport.policies.models import Status
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World


def test_intervals_by_kind_and_due_on_the_owners_desk(world: World) -> None:
    with clock.travel_to(datetime(2026, 1, 15, 9, tzinfo=UTC)):
        policy = published_policy(world)
        procedure = published_policy(world, title="Returns", kind="procedure")
    assert policy.next_review_at == datetime(2027, 1, 15, 9, tzinfo=UTC)
    assert procedure.next_review_at == datetime(2026, 7, 15, 9, tzinfo=UTC)
    with clock.travel_to(datetime(2026, 8, 1, tzinfo=UTC)):
        assert list(queries.reviews_due(world.manager.pk)) == [procedure]


def test_reconfirming_is_recorded_and_moves_the_date(world: World) -> None:
    with clock.travel_to(datetime(2026, 1, 15, 9, tzinfo=UTC)):
        doc = published_policy(world, kind="procedure")
    with clock.travel_to(datetime(2026, 7, 20, 9, tzinfo=UTC)):
        confirmation = actions.reconfirm(world.manager, doc, note="Still right")
    doc.refresh_from_db()
    assert confirmation.version_id == doc.published_id
    assert doc.next_review_at == datetime(2027, 1, 20, 9, tzinfo=UTC)


def test_or_a_new_draft_starts(world: World) -> None:
    doc = published_policy(world)
    draft = actions.start_draft(world.manager, doc)
    assert (draft.number, draft.status, draft.body_md) == (2, Status.DRAFT, doc.published.body_md)  # type: ignore[union-attr]
