"""The quality, kudos and pulse pages render for staff in a constant number of queries,
and are staff-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from rapport.people.actions import quality, recognition
from rapport.people.tests.qaworld import ratings, rubric, support_conversation, vendor_conversation
from rapport.testing import PASSWORD, World


def signed_in(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _reviews(world: World, n: int) -> None:
    r = rubric(world)
    for _ in range(n):
        quality.submit_review(world.lead, vendor_conversation(world), r, ratings(r))
        quality.submit_review(world.lead, support_conversation(world), r, ratings(r, gdpr=0))
        recognition.give_kudos(world.agent, to_team=world.it, message="Thanks")


PAGES: dict[str, Callable[[World], str]] = {
    "queue": lambda w: "/people/quality/",
    "disputes": lambda w: "/people/quality/disputes/",
    "kudos": lambda w: "/people/kudos/",
    "pulse": lambda w: "/people/pulse/",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_take_constant_queries(world: World, page: str,
                                     django_assert_max_num_queries: object) -> None:  # fmt: skip
    client = signed_in(world, "lead")
    _reviews(world, 1)
    client.get(PAGES[page](world))
    _reviews(world, 4)
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        response = client.get(PAGES[page](world))
    assert response.status_code == 200


def test_review_pages(world: World) -> None:
    r = rubric(world)
    ticket = support_conversation(world)
    review = quality.submit_review(world.lead, ticket, r, ratings(r))
    lead = signed_in(world, "lead")
    assert lead.get(f"/people/quality/t/{ticket.pk}/").status_code == 200
    assert lead.get(f"/people/quality/r/{review.pk}/").status_code == 200
    # IT's agent cannot see the review nor the conversation; a client gets no desk page.
    other = signed_in(world, "other_agent")
    assert other.get(f"/people/quality/r/{review.pk}/").status_code == 404
    assert other.get(f"/people/quality/t/{ticket.pk}/").status_code == 404
    assert signed_in(world, "contact").get("/people/quality/").status_code == 403
