"""The SLA engine on the desk: a badge in every queue row, the clock panel on the ticket page."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from rapport.core import clock
from rapport.core.choices import Priority
from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def row_of(html: str, ticket: Ticket) -> str:
    match = re.search(rf'<tr data-row data-href="/desk/t/{ticket.pk}/">.*?</tr>', html, re.S)
    assert match, f"#{ticket.pk} is not on the page"
    return match.group(0)


def test_queue_rows_show_time_left_and_overdue(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):  # a Tuesday, inside Berlin office hours
        calm = world.ticket("contact", subject="Printer jams")  # first response in 4 h
        urgent = actions.create_ticket(
            world.agent, requester=world.contact, subject="Shop is down", body="Help",
            provider=world.support.party, priority=Priority.URGENT,
        )  # fmt: skip
        solved = world.ticket("contact", subject="Thanks")
        actions.reply(world.agent, solved, body="Done",
                      status=actions.default_status("solved"))  # fmt: skip
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        browser = signed_in(world, "agent")
        page = browser.get("/desk/q/team/").content.decode()
        solved_page = browser.get("/desk/q/solved/").content.decode()
    assert "sla-ok" in row_of(page, calm) and "First response in 3h" in row_of(page, calm)
    overdue = row_of(page, urgent)
    assert "sla-breached" in overdue and "First response overdue 30m" in overdue
    assert "sla-badge" not in row_of(solved_page, solved)  # nothing is running on a solved ticket


def test_ticket_page_has_the_clock_panel(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 30)):
        actions.reply(world.agent, ticket, body="Looking into it")
        page = signed_in(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    panel = page.split('id="sla-panel-title"')[1].split("</section>")[0]
    assert "First response" in panel and "met" in panel
    assert "Resolution" in panel and "running" in panel
    history = page.split('id="history"')[1]
    assert "First response clock started" in history and "First response met" in history


def test_a_requesting_colleague_sees_no_clock_panel(world: World) -> None:
    # IT's agent asked Customer Support: on this ticket they are the client side.
    ticket = world.ticket("other_agent", provider=world.support.party)
    page = signed_in(world, "other_agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    assert "Service levels" not in page
