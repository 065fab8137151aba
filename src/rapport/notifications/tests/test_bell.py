"""Every signed-in page carries a bell with the number of unread notifications, at the
cost of one query."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.notifications.actions import mark_all_read, notify
from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def _bell(html: str) -> str:
    found = re.search(r'<a href="/notifications/" class="bell".*?</a>', html, re.S)
    assert found, "no bell on the page"
    return found.group(0)


def test_the_bell_counts_unread_on_desk_portal_and_account_pages(world: World) -> None:
    ticket = world.ticket("contact")
    notify([world.agent], "sla_warning", ticket, "Due in 30 minutes.")
    notify([world.agent], "handoff", ticket, "Have a look.")
    browser = _browser(world, "agent")
    for path in ("/desk/", "/account/", f"/desk/t/{ticket.pk}/", "/settings/sla/"):
        bell = _bell(browser.get(path).text)
        assert 'aria-label="Notifications, 2 unread"' in bell
        assert '<span class="bell-count" aria-hidden="true">2</span>' in bell
    mark_all_read(world.agent)
    bell = _bell(browser.get("/desk/").text)
    assert "bell-count" not in bell and 'aria-label="Notifications"' in bell
    assert "bell-count" not in _bell(_browser(world, "contact").get("/portal/").text)


def test_the_bell_costs_one_query(world: World) -> None:
    notify([world.agent], "sla_warning", None, "Due soon.")
    browser = _browser(world, "agent")
    browser.get("/account/")  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert browser.get("/account/").status_code == 200
    touching = [q["sql"] for q in ctx.captured_queries if "core_notification" in q["sql"]]
    assert len(touching) == 1


def test_signed_out_pages_have_no_bell(db: None) -> None:
    assert 'class="bell"' not in Client().get("/accounts/login/").text
