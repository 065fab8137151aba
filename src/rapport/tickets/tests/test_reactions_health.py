"""/healthz shows how far behind each reaction is, in events and in seconds."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from rapport.core import clock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.testing import drain_reactions


def test_healthz_shows_each_reactions_lag(world: World) -> None:
    drain_reactions()
    with clock.travel_to(clock.now() - timedelta(minutes=5)):
        ticket = world.ticket("contact")
    actions.tag(world.agent, ticket, ["late"])
    body = Client().get("/healthz").json()
    reactions = body["reactions"]["subscribers"]
    assert {"surveys.schedule_survey", "chain.tell_parent", "mail.notify_other_side",
            "sla.escalate"} <= set(reactions)  # fmt: skip
    survey = reactions["surveys.schedule_survey"]
    assert survey["events_behind"] >= 3  # created, agreement, tagged (and clocks)
    assert survey["seconds_behind"] >= 300
    assert body["reactions"]["status"] == "behind" and body["status"] == "degraded"

    drain_reactions()
    body = Client().get("/healthz").json()
    survey = body["reactions"]["subscribers"]["surveys.schedule_survey"]
    assert survey["events_behind"] == 0 and survey["seconds_behind"] == 0
    assert body["reactions"]["status"] == "ok"
