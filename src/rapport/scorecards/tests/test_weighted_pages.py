"""Setting up a weighted scorecard and rating it at review, in forms: managers only;
the rules are the actions' (weights add up to 100, a score within the maximum)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from rapport.core import clock
from rapport.scorecards.models import Criterion, ManualRating, WeightedScorecard
from rapport.scorecards.tests.conftest import utc
from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def _card(world: World, **rows: Any) -> dict[str, Any]:
    body = {
        "name": "PrintCo quarterly", "provider": str(world.vendor.party.pk),
        "period_kind": "month", "history": "3",
        "standings": "Poor 0; Fine 50; Great 90",
        "c0_name": "Fixed in time", "c0_metric": "resolution_attainment", "c0_weight": "60",
        "c0_max_score": "10",
        "c1_name": "Review", "c1_metric": "manual", "c1_weight": "40", "c1_max_score": "5",
    }  # fmt: skip
    body.update(rows)
    return body


def test_manager_sets_up_a_card_and_rates_it_at_review(world: World) -> None:
    manager = _browser(world, "manager")
    assert "New weighted scorecard" in manager.get("/scorecards/weighted/").content.decode()
    form = manager.get("/scorecards/weighted/new").content.decode()
    assert "PrintCo" in form and "Rated at review" in form
    with clock.travel_to(utc(2026, 3, 10)):
        response = manager.post("/scorecards/weighted/new", _card(world))
        assert response.status_code == 302
        card = WeightedScorecard.objects.get(name="PrintCo quarterly")
        assert card.provider_id == world.vendor.party.pk and card.history == 3
        assert card.standings == [
            {"name": "Poor", "min": 0}, {"name": "Fine", "min": 50}, {"name": "Great", "min": 90},
        ]  # fmt: skip
        criteria = {c.name: (c.metric, c.weight, c.max_score) for c in card.criteria.all()}
        assert criteria == {
            "Fixed in time": ("resolution_attainment", 60, 10), "Review": ("manual", 40, 5),
        }  # fmt: skip
        page = manager.get(response["Location"]).content.decode()
        assert "Rate at review: March 2026" in page
        review = card.criteria.get(metric=Criterion.MANUAL)
        rated = manager.post(
            response["Location"], {"criterion": str(review.pk), "score": "4", "note": "Good"},
            follow=True,
        )  # fmt: skip
        html = rated.content.decode()
    assert "Rated Review." in html
    rating = ManualRating.objects.get(criterion=review)
    assert (rating.score, rating.note, rating.rated_by_id) == (4.0, "Good", world.manager.pk)
    assert "80.0" in html  # no vendor tickets: only the review, 4 of 5, counts


def test_bad_cards_and_ratings_are_shown_and_change_nothing(world: World) -> None:
    manager = _browser(world, "manager")
    for rows in (
        {"c1_weight": "30"},  # 60 + 30 is not 100
        {"c0_metric": "resolution_median_minutes"},  # a time criterion without a target
        {"standings": "Poor; Fine 50"},
        {"provider": "999999"},
        {"name": ""},
        {"history": "99"},
    ):
        response = manager.post("/scorecards/weighted/new", _card(world, **rows))
        assert response.status_code == 422, rows
        assert 'role="alert"' in response.content.decode(), rows
    assert not WeightedScorecard.objects.exists()
    manager.post("/scorecards/weighted/new", _card(world))
    card = WeightedScorecard.objects.get()
    review = card.criteria.get(metric=Criterion.MANUAL)
    measured = card.criteria.exclude(metric=Criterion.MANUAL).get()
    for body in (
        {"criterion": str(review.pk), "score": "6"},  # above its maximum of 5
        {"criterion": str(measured.pk), "score": "3"},  # measured, not rated
        {"criterion": str(review.pk), "score": "lots"},
    ):
        response = manager.post(f"/scorecards/weighted/{card.pk}", body)
        assert response.status_code == 422, body
        assert 'role="alert"' in response.content.decode(), body
    assert not ManualRating.objects.exists()


def test_only_managers_set_up_and_rate(world: World) -> None:
    _browser(world, "manager").post("/scorecards/weighted/new", _card(world))
    card = WeightedScorecard.objects.get()
    review = card.criteria.get(metric=Criterion.MANUAL)
    lead = _browser(world, "lead")
    assert lead.get("/scorecards/weighted/new").status_code == 403
    assert lead.post("/scorecards/weighted/new", _card(world, name="Other")).status_code == 403
    assert "New weighted scorecard" not in lead.get("/scorecards/weighted/").content.decode()
    response = lead.post(f"/scorecards/weighted/{card.pk}", {"criterion": review.pk, "score": 1})
    assert response.status_code == 404  # not a card of the lead's teams: not there at all
    # The lead's own team's card: shown, but rating is a manager's.
    _browser(world, "manager").post(
        "/scorecards/weighted/new",
        _card(world, name="Support", provider=str(world.support.party.pk)),
    )
    own = WeightedScorecard.objects.get(name="Support")
    own_review = own.criteria.get(metric=Criterion.MANUAL)
    page = lead.get(f"/scorecards/weighted/{own.pk}").content.decode()
    assert "Support" in page and "Rate at review" not in page
    response = lead.post(f"/scorecards/weighted/{own.pk}", {"criterion": own_review.pk, "score": 1})
    assert response.status_code == 403
    for role in ("contact", "vendor_user"):
        assert _browser(world, role).get("/scorecards/weighted/new").status_code == 403
    assert WeightedScorecard.objects.count() == 2 and not ManualRating.objects.exists()
