"""Each queue holds what its name says, with a live (capped) count in the sidebar."""

from __future__ import annotations

import re

import pytest

from rapport.desk import queries
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Status


def _status(slug: str) -> Status:
    return Status.objects.get(slug=slug)


@pytest.fixture
def queues(world: World) -> dict[str, int]:
    mine = world.ticket("contact", subject="Mine")
    actions.assign(world.agent, mine, world.agent)
    theirs = world.ticket("contact", subject="Lead's")
    actions.assign(world.agent, theirs, world.lead)
    unassigned = world.ticket("colleague", subject="Nobody's")
    pending = world.ticket("contact", subject="Waiting")
    actions.set_status(world.agent, pending, _status("pending"))
    hold = world.ticket("contact", subject="Parked")
    actions.set_status(world.agent, hold, _status("on-hold"))
    solved = world.ticket("contact", subject="Done")
    actions.set_status(world.agent, solved, _status("solved"))
    it = world.ticket("employee", subject="Laptop", provider=world.it.party)
    return {
        "mine": mine.pk, "theirs": theirs.pk, "unassigned": unassigned.pk,
        "pending": pending.pk, "hold": hold.pk, "solved": solved.pk, "it": it.pk,
    }  # fmt: skip


def test_each_queue_holds_its_tickets(world: World, queues: dict[str, int]) -> None:
    browser = signed_in(world, "agent")
    expected = {
        "mine": [queues["mine"]],
        "unassigned": [queues["unassigned"]],
        "team": [queues["unassigned"], queues["theirs"], queues["mine"]],
        "pending": [queues["pending"]],
        "hold": [queues["hold"]],
        "solved": [queues["solved"]],
    }
    for slug, numbers in expected.items():
        page = browser.get(f"/desk/q/{slug}/").content.decode()
        assert numbers_on(page) == numbers, slug
    # Another team's ticket is in none of them.
    assert all(queues["it"] not in n for n in expected.values())


def test_sidebar_counts_every_queue(world: World, queues: dict[str, int]) -> None:
    page = signed_in(world, "agent").get("/desk/").content.decode()
    counts = dict(re.findall(r"<span>([^<]+)</span><span class=\"count\"[^>]*>([^<]+)<", page))
    assert counts == {
        "My open tickets": "1", "Unassigned in my teams": "1", "All open in my teams": "3",
        "Pending on client": "1", "On hold": "1", "Recently solved": "1",
        "All tickets": "6",
    }  # fmt: skip


def test_counts_stop_at_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "CAP", 2)
    for i in range(4):
        world.ticket("contact", subject=f"Many {i}")
    page = signed_in(world, "agent").get("/desk/q/team/").content.decode()
    assert 'aria-label="2+ tickets">2+<' in page  # "All open in my teams": 4 tickets
    assert len(numbers_on(page)) == 4  # the list itself is not capped


def test_an_admin_outside_teams_sees_every_provider(world: World, queues: dict[str, int]) -> None:
    page = signed_in(world, "admin").get("/desk/q/team/").content.decode()
    assert {queues["it"], queues["mine"], queues["unassigned"]} <= set(numbers_on(page))


def test_the_landing_page_is_my_queue(world: World, queues: dict[str, int]) -> None:
    browser = signed_in(world, "agent")
    response = browser.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/desk/"
    assert numbers_on(response.content.decode()) == [queues["mine"]]


def test_counts_are_one_bounded_statement(world: World, queues: dict[str, int]) -> None:
    """Counting never reads a whole table: one statement, each count capped by a LIMIT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = signed_in(world, "agent")
    browser.get("/desk/counts")
    with CaptureQueriesContext(connection) as captured:
        assert browser.get("/desk/counts").status_code == 200
    counting = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 1
    assert counting[0].count(f"LIMIT {queries.CAP + 1}") == len(queries.QUEUES)
