"""Team health: eNPS beside OLA attainment, CSAT, quality and kudos; the staff
watermelon flag when service is green and eNPS negative."""

from __future__ import annotations

from datetime import timedelta

from rapport.core import clock
from rapport.people import pulse_queries as queries
from rapport.people.actions import pulse, quality, recognition
from rapport.people.pulse_queries import Health
from rapport.people.tests.qaworld import ratings, rubric, support_conversation
from rapport.people.tests.test_pulse_anonymity import START, answer_all, staff
from rapport.testing import World


def test_health_of_a_team(world: World) -> None:
    members = staff(world, world.support, 5, "s")
    with clock.travel_to(START):
        r = pulse.open_round(pulse.set_up_pulse(None, world.support))
    answer_all(members, r, 2)
    with clock.travel_to(START + timedelta(days=1)):
        rb = rubric(world)
        quality.submit_review(world.lead, support_conversation(world), rb, ratings(rb))
        recognition.give_kudos(world.other_agent, to_team=world.support, message="Thanks")
    since, until = START - timedelta(days=1), START + timedelta(days=30)
    support, it = queries.team_health([world.support, world.it], since, until, until)
    assert (support.enps, support.quality, support.kudos_received) == (-100.0, 100.0, 1)
    assert support.service_green and support.watermelon
    assert (it.enps, it.enps_suppressed, it.quality, it.watermelon) == (None, False, None, False)


def test_watermelon_needs_green_service_and_negative_enps(world: World) -> None:
    def h(**kw: object) -> Health:
        base: dict[str, object] = {"team": world.support, "enps": -10.0, "enps_suppressed": False,
                                   "ola_attainment": 0.95, "csat": 90.0, "quality": 85.0,
                                   "kudos_received": 0, "kudos_given": 0}  # fmt: skip
        base.update(kw)
        return Health(**base)  # type: ignore[arg-type]

    assert h().watermelon
    assert not h(enps=10.0).watermelon
    assert not h(ola_attainment=0.5).watermelon
    assert not h(ola_attainment=None, csat=None, quality=None).watermelon
    assert h(ola_attainment=None).watermelon
