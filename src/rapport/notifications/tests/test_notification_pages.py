"""The notifications page lists your own notifications; opening one marks it read and
goes to its ticket; mark read and mark all read work from the page."""

from __future__ import annotations

from django.test import Client

from rapport.notifications.actions import notify
from rapport.notifications.queries import inbox
from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_the_list_shows_only_your_own(world: World) -> None:
    notify([world.agent], "sla_breach", None, "Ticket breached for the agent.")
    notify([world.lead], "sla_breach", None, "Ticket breached for the lead.")
    page = _browser(world, "agent").get("/notifications/")
    assert page.status_code == 200
    assert "Ticket breached for the agent." in page.text
    assert "for the lead" not in page.text
    assert "has breached its target" in page.text  # the kind, in words


def test_opening_one_marks_it_read_and_goes_to_its_ticket(world: World) -> None:
    ticket = world.ticket("contact")
    [row] = notify([world.agent], "sla_warning", ticket, "Due soon.")
    answer = _browser(world, "agent").post(f"/notifications/{row.pk}/open")
    assert answer.status_code == 302 and answer["Location"] == f"/desk/t/{ticket.pk}/"
    assert inbox(world.agent, unread_only=True).count() == 0


def test_mark_one_and_mark_all_read(world: World) -> None:
    rows = notify([world.agent], "handoff", None, "One.") + notify(
        [world.agent], "handoff", None, "Two."
    )
    browser = _browser(world, "agent")
    answer = browser.post(f"/notifications/{rows[0].pk}/read", {"next": "/notifications/"})
    assert answer.status_code == 302
    assert [n.text for n in inbox(world.agent, unread_only=True)] == ["Two."]
    unread_page = browser.get("/notifications/?show=unread").text
    assert "Two." in unread_page and "One." not in unread_page
    browser.post("/notifications/read")
    assert inbox(world.agent, unread_only=True).count() == 0
    assert "Nothing unread." in browser.get("/notifications/?show=unread").text


def test_anothers_notification_is_not_found(world: World) -> None:
    [row] = notify([world.lead], "handoff", None, "For the lead.")
    browser = _browser(world, "agent")
    assert browser.post(f"/notifications/{row.pk}/open").status_code == 404
    assert browser.post(f"/notifications/{row.pk}/read").status_code == 404
    assert inbox(world.lead, unread_only=True).count() == 1


def test_an_external_next_is_not_followed(world: World) -> None:
    [row] = notify([world.agent], "handoff", None, "One.")
    answer = _browser(world, "agent").post(
        f"/notifications/{row.pk}/read", {"next": "https://evil.example/"}
    )
    assert answer["Location"] == "/notifications/"
