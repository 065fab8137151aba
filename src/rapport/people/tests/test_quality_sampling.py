"""The weekly sample: a seeded random draw per provider plus risk picks, reproducible,
drawn once; the reviewers' queue."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.directory.queries import scope_for
from rapport.people import quality_queries as queries
from rapport.people.actions import quality, sampling
from rapport.people.models import SampleItem
from rapport.people.tests.qaworld import ratings, rubric
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Ticket

WEEK = date(2026, 3, 2)  # a Monday


def _solved(world: World, n: int, *, replies: int = 1) -> list[Ticket]:
    solved = ticket_actions.default_status(StatusCategory.SOLVED)
    out = []
    with clock.travel_to(datetime(2026, 3, 3, 10, tzinfo=UTC)):
        for _ in range(n):
            t = world.ticket("contact")
            for _ in range(replies - 1):
                ticket_actions.reply(world.agent, t, body="More")
            ticket_actions.reply(world.agent, t, body="Done", status=solved)
            out.append(t)
    return out


def test_the_sample_is_reproducible_and_picks_risks(world: World) -> None:
    plain = _solved(world, 12)
    long = _solved(world, 1, replies=10)
    picks = sampling.weekly_candidates(WEEK)[world.support.party.pk]
    assert picks["long_thread"] == [long[0].pk]
    first = sampling.pick_sample(WEEK, world.support.party.pk, picks)
    again = sampling.pick_sample(WEEK, world.support.party.pk, picks)
    assert first == again
    assert (long[0].pk, "long_thread") in first
    assert sum(1 for _, reason in first if reason == "random") == 5
    other_week = sampling.pick_sample(date(2026, 3, 9), world.support.party.pk, picks)
    assert {t for t, _ in other_week} != {t for t, _ in first}
    assert sampling.draw_weekly_sample(WEEK) == 6
    assert sampling.draw_weekly_sample(WEEK) == 0
    assert set(SampleItem.objects.values_list("ticket_id", flat=True)) <= {
        t.pk for t in plain + long}  # fmt: skip
    # The queue: Support's lead and managers, not IT's agent; a review takes it off.
    assert queries.review_queue(scope_for(world.lead)).count() == 6
    assert queries.review_queue(scope_for(world.other_agent)).count() == 0
    item = queries.review_queue(scope_for(world.lead)).first()
    assert item is not None
    r = rubric(world)
    quality.submit_review(world.lead, item.ticket, r, ratings(r))
    assert queries.review_queue(scope_for(world.lead)).count() == 5
