"""Reviews: scored with the rubric, credited to whoever wrote the public replies,
self-reviews apart, a critical fail told to the improvement app."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.directory import actions as directory
from rapport.directory.queries import scope_for
from rapport.people import quality_queries as queries
from rapport.people.actions import quality
from rapport.people.models.quality import ReviewKind
from rapport.people.tests.qaworld import ratings, rubric, support_conversation, vendor_conversation
from rapport.testing import World
from rapport.tickets.models import Event


def test_a_vendors_reply_is_credited_to_the_vendor(world: World) -> None:
    r = rubric(world)
    ticket = vendor_conversation(world)
    review = quality.submit_review(world.lead, ticket, r, ratings(r, solution=4))
    assert review.agent == world.vendor_user
    assert review.provider_party_id == world.vendor.party.pk
    # (10 + 0.75 × 50 + 40 + 5) / 105 = 88.10
    assert review.score == 88.1
    assert queries.quality_score("provider", world.vendor.party.pk) == 88.1
    assert queries.quality_score("agent", world.vendor_user.pk) == 88.1


def test_a_critical_fail_zeroes_the_review_and_tells_the_improvement_app(world: World) -> None:
    r = rubric(world)
    ticket = vendor_conversation(world)
    quality.submit_review(world.lead, ticket, r, ratings(r))
    assert queries.quality_score("provider", world.vendor.party.pk) == 100.0
    review = quality.submit_review(world.lead, ticket, r, ratings(r, gdpr=0))
    assert (review.score, review.critical_failed) == (0.0, True)
    event = Event.objects.get(ticket=ticket, kind="qa_critical_fail")
    assert event.data["review"] == review.pk
    assert event.data["agent"] == world.vendor_user.pk
    assert event.data["provider"] == world.vendor.party.pk
    assert queries.quality_score("provider", world.vendor.party.pk) == 50.0


def test_na_is_refused_where_the_rubric_does_not_allow_it(world: World) -> None:
    r = rubric(world)
    with pytest.raises(Invalid):
        quality.submit_review(world.lead, support_conversation(world), r,
                              ratings(r, solution=None))  # fmt: skip
    with pytest.raises(Invalid):
        quality.submit_review(world.lead, support_conversation(world), r,
                              ratings(r, solution=6))  # fmt: skip
    review = quality.submit_review(world.lead, support_conversation(world), r,
                                   ratings(r, tone=None, solution=3))  # fmt: skip
    # (10 + 25 + 5) / 65 = 61.54
    assert review.score == 61.54


def test_a_self_review_is_shown_apart_and_never_counts(world: World) -> None:
    r = rubric(world)
    ticket = support_conversation(world)
    own = quality.submit_review(world.agent, ticket, r, ratings(r, solution=1))
    assert own.kind == ReviewKind.SELF
    assert queries.quality_score("agent", world.agent.pk) is None
    assert queries.self_review_scores([world.agent.pk])[world.agent.pk][1] == 1
    # An agent may not review a colleague's conversation.
    directory.add_team_member(None, world.support, world.other_agent)
    with pytest.raises(PermissionDenied):
        quality.submit_review(world.other_agent, ticket, r, ratings(r))


def test_an_agent_who_cannot_see_the_ticket_gets_404(world: World) -> None:
    r = rubric(world)
    with pytest.raises(NotFound):
        quality.submit_review(world.other_agent, support_conversation(world), r, ratings(r))


def test_who_sees_a_review(world: World) -> None:
    r = rubric(world)
    review = quality.submit_review(world.lead, vendor_conversation(world), r, ratings(r))
    mine = quality.submit_review(world.lead, support_conversation(world), r, ratings(r))

    def seen(role: str) -> set[int]:
        return set(queries.visible_reviews(scope_for(world.people[role])).values_list(
            "pk", flat=True))  # fmt: skip

    assert seen("agent") == {mine.pk}
    assert seen("lead") == {review.pk, mine.pk}
    assert seen("other_agent") == set()
    assert seen("vendor_user") == set()
    quality.set_review_sharing(world.admin, world.vendor, shared=True)
    assert seen("vendor_user") == {review.pk}
    assert seen("contact") == set()
    with pytest.raises(PermissionDenied):
        quality.set_review_sharing(world.vendor_user, world.vendor, shared=False)
