"""Each person chooses a time zone on the account page; every page then shows times in
it: the desk thread, the notifications, and the account page names it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

from rapport.notifications.actions import notify
from rapport.notifications.models import Notification
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets.models import Message


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_choosing_a_zone_shows_times_in_it(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer on fire")
    noon_utc = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    Message.objects.filter(ticket=ticket).update(created_at=noon_utc)
    [row] = notify([world.agent], "sla_warning", ticket, "Due soon.")
    Notification.objects.filter(pk=row.pk).update(created_at=noon_utc)
    browser = _browser(world, "agent")
    assert "12:00" in browser.get(f"/desk/t/{ticket.pk}/").text  # UTC by default
    answer = browser.post("/account/time-zone", {"time_zone": "America/New_York"}, follow=True)
    assert "Your time zone is saved" in answer.text
    assert "America/New_York" in answer.text
    assert "Jan 15, 07:00" in browser.get(f"/desk/t/{ticket.pk}/").text
    assert "15 Jan 2026, 07:00 EST" in browser.get("/notifications/").text
    world.agent.refresh_from_db()
    assert world.agent.time_zone == "America/New_York"


def test_someone_elses_zone_does_not_leak(world: World) -> None:
    _browser(world, "agent").post("/account/time-zone", {"time_zone": "Asia/Tokyo"})
    page = _browser(world, "lead").get("/account/")
    assert "Asia/Tokyo" not in page.text.split('id="id_time_zone"')[0]
    assert timezone.get_current_timezone_name() == "UTC"  # nothing stays activated


def test_an_unknown_zone_is_a_field_error(world: World) -> None:
    page = _browser(world, "agent").post("/account/time-zone", {"time_zone": "Mars/Olympus"})
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text
    world.agent.refresh_from_db()
    assert world.agent.time_zone == ""


def test_the_thread_and_the_clock_panel_agree(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer on fire")
    clock = TicketClock.objects.filter(ticket=ticket, due_at__isnull=False).first()
    assert clock is not None and clock.due_at is not None, "the world's tickets run SLA clocks"
    browser = _browser(world, "agent")
    browser.post("/account/time-zone", {"time_zone": "Asia/Tokyo"})
    page = browser.get(f"/desk/t/{ticket.pk}/").text
    tokyo = ZoneInfo("Asia/Tokyo")
    due = clock.due_at.astimezone(tokyo)
    # The panel names the viewer's zone; the thread is in the same zone.
    assert f"{due:%a %d %b %H:%M} JST" in page
    written = Message.objects.filter(ticket=ticket).first()
    assert written is not None
    local = written.created_at.astimezone(tokyo)
    assert f"{local:%b} {local.day}, {local:%H:%M}" in page
