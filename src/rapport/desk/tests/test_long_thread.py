"""A long thread: the page shows the latest messages and events, earlier ones load on
demand, and a poll keeps what is on screen."""

from __future__ import annotations

import re

import pytest

from rapport.desk.queries import thread
from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def long(world: World, monkeypatch: pytest.MonkeyPatch) -> Ticket:
    monkeypatch.setattr(thread, "THREAD_PAGE", 4)
    monkeypatch.setattr(thread, "HISTORY_PAGE", 3)
    ticket = world.ticket("contact", body="Message 0")
    for i in range(1, 10):
        if i % 3 == 0:
            actions.add_note(world.agent, ticket, body=f"Message {i}")
        else:
            actions.reply(world.agent, ticket, body=f"Message {i}")
    return ticket


def _said(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Message (\d+)", html)]


def _earlier(html: str) -> str:
    found = re.search(r'class="earlier"><a class="btn btn-small" href="([^"]+)"', html)
    assert found, "a Show earlier link"
    return found.group(1).replace("&amp;", "&")


def test_page_shows_the_latest_and_loads_earlier_in_order(world: World, long: Ticket) -> None:
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{long.pk}/").content.decode()
    assert _said(page) == [6, 7, 8, 9]
    assert "Show earlier messages" in page
    shown = _said(page)
    url = _earlier(page)
    while True:
        more = browser.get(url, **HTMX)
        assert more.status_code == 200
        html = more.content.decode()
        shown = _said(html) + shown
        if "Show earlier messages" not in html:
            break
        url = _earlier(html)
    assert shown == list(range(10))  # every message once, oldest first


def test_earlier_pages_are_scoped_like_the_page(world: World, long: Ticket) -> None:
    page = signed_in(world, "agent").get(f"/desk/t/{long.pk}/").content.decode()
    browser = signed_in(world, "other_agent")  # another team's agent: not theirs to see
    assert browser.get(f"/desk/t/{long.pk}/").status_code == 404
    assert browser.get(_earlier(page), **HTMX).status_code == 404


def test_poll_keeps_the_messages_on_screen(world: World, long: Ticket) -> None:
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{long.pk}/").content.decode()
    poll = re.search(r'hx-get="([^"]+/thread\?since=[^"]+)"', page)
    assert poll
    url = poll.group(1).replace("&amp;", "&")
    assert browser.get(url).status_code == 204
    actions.reply(world.contact, long, body="Message 10")
    fresh = browser.get(url).content.decode()
    # From the first message on screen, so nothing between it and "Show earlier" is lost.
    assert _said(fresh) == [6, 7, 8, 9, 10]


def test_history_shows_the_latest_events_and_loads_earlier(world: World, long: Ticket) -> None:
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{long.pk}/").content.decode()
    history = page.split('id="history"')[1].split("</ol>")[0]
    assert history.count("<li><time") == 3 and "Show earlier events" in history
    earlier = browser.get(_earlier(history), **HTMX).content.decode()
    assert "raised the ticket" not in history
    assert earlier.count("<li><time") == 3


@pytest.mark.parametrize("where", ["thread", "history"])
@pytest.mark.parametrize("before", ["", "nonsense", "2024-01-01T00:00:00~x", "2024-01-01~5"])
def test_bad_places_are_refused_not_failures(
    world: World, long: Ticket, where: str, before: str
) -> None:
    response = signed_in(world, "agent").get(f"/desk/t/{long.pk}/{where}?before={before}")
    assert response.status_code == 400
