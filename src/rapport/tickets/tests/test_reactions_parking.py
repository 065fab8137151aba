"""A failing reaction is retried with backoff, then parked for an admin; the ticket's
later events wait behind it for that reaction only, and nothing else is held up."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from rapport.core import clock
from rapport.testing import World
from rapport.tickets import actions, reactor
from rapport.tickets.models import PendingReaction, ReactionState
from rapport.tickets.testing import drain_reactions

from .conftest import Recorder


def _fail_until_parked(world: World, recorder: Recorder) -> tuple[int, int]:
    broken, fine = world.ticket("contact"), world.ticket("colleague")
    recorder.failing_tickets.add(broken.pk)
    actions.tag(world.agent, broken, ["first"])
    actions.tag(world.agent, fine, ["other-ticket"])
    actions.tag(world.agent, broken, ["second"])
    drain_reactions()
    return broken.pk, fine.pk


def test_a_failure_holds_only_its_ticket_for_its_reaction(world: World, recorder: Recorder) -> None:
    _broken, fine = _fail_until_parked(world, recorder)
    # The other ticket went through the failing reaction; every other reaction saw all.
    assert recorder.flaky_seen == [(fine, "tagged", "other-ticket")]
    assert [v for _, _, v in recorder.seen] == ["first", "other-ticket", "second"]
    rows = list(PendingReaction.objects.filter(subscriber="test.flaky").order_by("event_id"))
    assert [(r.state, r.attempts) for r in rows] == [
        (ReactionState.RETRYING, 1),
        (ReactionState.HELD, 0),
    ]
    assert "the printer service is down" in rows[0].error


def test_retried_with_backoff_then_parked(world: World, recorder: Recorder) -> None:
    _broken, _ = _fail_until_parked(world, recorder)
    row = PendingReaction.objects.get(subscriber="test.flaky", state=ReactionState.RETRYING)
    drain_reactions()  # not due yet: no new try
    row.refresh_from_db()
    assert row.attempts == 1
    moment = clock.now()
    for tries in range(2, reactor.MAX_ATTEMPTS + 1):
        moment += timedelta(hours=1)
        with clock.travel_to(moment):
            drain_reactions()
        row.refresh_from_db()
        assert row.attempts == tries
    assert row.state == ReactionState.PARKED and row.next_attempt_at is None
    # Parked, it never blocks the others: new events flow to every reaction.
    fresh = world.ticket("other_contact")
    actions.tag(world.agent, fresh, ["after"])
    drain_reactions()
    assert recorder.flaky_seen[-1] == (fresh.pk, "tagged", "after")


def test_a_parked_reaction_retried_runs_with_those_held_behind_it(
    world: World, recorder: Recorder
) -> None:
    broken, _ = _fail_until_parked(world, recorder)
    PendingReaction.objects.filter(state=ReactionState.RETRYING).update(
        state=ReactionState.PARKED, attempts=reactor.MAX_ATTEMPTS, next_attempt_at=None
    )
    parked = PendingReaction.objects.get(state=ReactionState.PARKED)
    held = PendingReaction.objects.get(state=ReactionState.HELD)
    admin = world.client("admin")

    listed = admin.get("/api/v1/reactions/parked").json()["items"]
    assert [(r["id"], r["subscriber"], r["ticket"], r["event_kind"]) for r in listed] == [
        (parked.pk, "test.flaky", broken, "tagged")
    ]
    # Still broken: it stays parked with its new error.
    answer = admin.post(f"/api/v1/reactions/parked/{parked.pk}/retry")
    assert answer.status_code == 200
    assert answer.json()["handled"] is False
    assert answer.json()["reaction"]["state"] == "parked"
    # The one held behind it cannot jump the queue.
    jumped = admin.post(f"/api/v1/reactions/parked/{held.pk}/retry")
    assert jumped.status_code == 409
    assert jumped["Content-Type"] == "application/problem+json"

    recorder.failing_tickets.clear()  # the printer service is back
    answer = admin.post(f"/api/v1/reactions/parked/{parked.pk}/retry")
    assert answer.json() == {"handled": True, "reaction": None}
    flaky_of_broken = [(kind, value) for t, kind, value in recorder.flaky_seen if t == broken]
    assert flaky_of_broken == [("tagged", "first"), ("tagged", "second")]
    assert not PendingReaction.objects.exists()


def test_only_admins_see_and_retry_reactions(world: World, recorder: Recorder) -> None:
    _fail_until_parked(world, recorder)
    row = PendingReaction.objects.get(state=ReactionState.RETRYING)
    for role in ("manager", "agent", "contact"):
        client = world.client(role)
        listed = client.get("/api/v1/reactions/parked?state=retrying")
        assert listed.status_code == 403
        assert listed["Content-Type"] == "application/problem+json"
        assert client.post(f"/api/v1/reactions/parked/{row.pk}/retry").status_code == 403
    missing = world.client("admin").post("/api/v1/reactions/parked/999999/retry")
    assert missing.status_code == 404
    bad = world.client("admin").get("/api/v1/reactions/parked?state=lost")
    assert bad.status_code == 422


def test_the_desk_page_shows_failures_and_retries_them(world: World, recorder: Recorder) -> None:
    broken, _ = _fail_until_parked(world, recorder)
    row = PendingReaction.objects.get(state=ReactionState.RETRYING)
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/desk/reactions")
    assert page.status_code == 200
    html = page.content.decode()
    assert "test.flaky" in html and f"#{broken}" in html
    assert "the printer service is down" in html
    recorder.failing_tickets.clear()
    done = admin.post(f"/desk/reactions/{row.pk}/retry", follow=True)
    assert f"Reaction {row.pk} ran." in done.content.decode()
    assert not PendingReaction.objects.exists()
    agent = Client()
    agent.force_login(world.agent)
    assert agent.get("/desk/reactions").status_code == 403
