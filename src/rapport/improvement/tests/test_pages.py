"""The desk pages: each renders for staff with a constant number of queries, is closed
to clients, and the complaint button flags a message once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.improvement import actions
from rapport.improvement.models import Cause, Review, Trigger
from rapport.testing import PASSWORD, World
from rapport.tickets.models import Event, Message
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db


def _login(role: str, world: World) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _reviews(world: World, n: int) -> None:
    for i in range(n):
        ticket = world.ticket(subject=f"Refund {i}")
        review = actions.open_review(Trigger.CSAT, f"pg:{ticket.pk}", ticket=ticket)
        assert review is not None
        actions.assign(None, review, world.manager)
        if i % 2:
            actions.record(None, review, cause=Cause.PROCEDURE, whys=["No step"])
            actions.close(None, review)


PAGES = [
    ("improvement:home", {}),
    ("improvement:problems", {}),
    ("improvement:actions", {}),
    ("improvement:pareto", {}),
    ("improvement:reviews", {}),
    ("improvement:settings", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_take_constant_queries(
    world: World, name: str, kwargs: dict, django_assert_max_num_queries: object
) -> None:
    client = _login("manager", world)
    _reviews(world, 2)
    url = reverse(name, kwargs=kwargs) + (
        "?key=procedure&dimension=cause" if "reviews" in name else ""
    )
    first = client.get(url)
    assert first.status_code == 200
    _reviews(world, 6)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_review_page_queries_do_not_grow_with_the_timeline(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = _login("manager", world)
    _reviews(world, 1)
    review = Review.objects.get()
    url = reverse("improvement:review", args=[review.pk])
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_clients_get_no_improvement_page(world: World) -> None:
    client = _login("contact", world)
    assert client.get(reverse("improvement:home")).status_code == 403
    _reviews(world, 1)
    review = Review.objects.get()
    assert (
        _login("other_agent", world)
        .get(reverse("improvement:review", args=[review.pk]))
        .status_code
        == 404
    )


def test_complaint_button_flags_once_and_opens_a_review(world: World) -> None:
    ticket = world.ticket()
    message = Message.objects.get(ticket=ticket)
    client = _login("agent", world)
    page = client.get(reverse("desk:ticket", args=[ticket.pk]))
    assert reverse("improvement:complaint", args=[message.pk]) in page.content.decode()
    for _ in range(2):
        response = client.post(reverse("improvement:complaint", args=[message.pk]))
        assert response.status_code == 200 and b"Complaint" in response.content
    drain_reactions()
    assert Event.objects.filter(kind="complaint").count() == 1
    assert Review.objects.get().trigger == Trigger.COMPLAINT
    assert (
        _login("contact", world)
        .post(reverse("improvement:complaint", args=[message.pk]))
        .status_code
        == 403
    )


def test_review_form_closes_and_proposes(world: World) -> None:
    _reviews(world, 1)
    review = Review.objects.get()
    client = _login("manager", world)
    url = reverse("improvement:review", args=[review.pk])
    response = client.post(url, {"op": "close", "cause": ""})
    assert response.status_code == 200 and b"without a cause" in response.content
    response = client.post(url, {"op": "close", "cause": "training", "why1": "Never shown"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "closed" and review.whys == ["Never shown"]
    assert review.actions.get().kind == "training"
    assert b"Confirm action" in client.get(url).content
