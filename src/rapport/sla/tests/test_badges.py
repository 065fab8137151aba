"""SLA badges for a page of tickets (one query, whatever the page) and the clock panel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.sla.queries import badges, ticket_clocks
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

BERLIN = ZoneInfo("Europe/Berlin")
PAGE = Template(
    "{% load sla_tags %}{% for t in tickets %}<li>{% sla_badge badges t %}</li>{% endfor %}"
)
PANEL = Template('{% include "sla/_clock_panel.html" %}')


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def urgent(world: World) -> Ticket:
    return actions.create_ticket(
        world.agent, requester=world.contact, subject="Down", body="Help",
        provider=world.support.party, priority=Priority.URGENT,
    )  # fmt: skip


def render_page(tickets: list[Ticket], now: datetime) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as ctx:
        found = badges(tickets, now)
    html = PAGE.render(Context({"tickets": tickets, "badges": found}))
    return html.split("<li>")[1:], len(ctx.captured_queries)


def test_badges_show_time_left_warnings_overdue_and_pauses(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        calm = world.ticket("contact")  # normal: first response in 4 h
        hurried = urgent(world)  # first response in 30 min
        waiting = world.ticket("contact")
        answered = world.ticket("contact")
        actions.reply(world.agent, waiting, body="?")
        actions.set_status(world.agent, waiting,
                           actions.default_status(StatusCategory.PENDING_CLIENT))  # fmt: skip
        actions.reply(world.agent, answered, body="Done",
                      status=actions.default_status(StatusCategory.SOLVED))  # fmt: skip
    items, _ = render_page([calm, hurried, waiting, answered], at(2026, 3, 10, 10, 25))
    assert "sla-ok" in items[0] and "First response in 3h 35m" in items[0]
    assert "sla-warning" in items[1] and "First response in 5m" in items[1]  # 83 %
    assert "sla-paused" in items[2] and "Resolution" in items[2]
    assert items[3].strip() == "</li>"  # solved: nothing running, no badge
    items, _ = render_page([hurried], at(2026, 3, 10, 10, 28))  # 93 %: past the last threshold
    assert "sla-warning-high" in items[0] and "First response in 2m" in items[0]
    items, _ = render_page([hurried], at(2026, 3, 10, 11, 0))
    assert "sla-breached" in items[0] and "First response overdue 30m" in items[0]
    assert 'datetime="2026-03-10T09:30:00+00:00"' in items[0]


def test_badges_take_one_query_for_any_page(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        tickets = [world.ticket("contact") for _ in range(12)]
    _, few = render_page(tickets[:2], at(2026, 3, 10, 11, 0))
    _, many = render_page(tickets, at(2026, 3, 10, 11, 0))
    assert few == many == 1


def test_the_clock_panel_tells_each_clock(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = urgent(world)
    with clock.travel_to(at(2026, 3, 10, 10, 40)):
        actions.reply(world.agent, ticket, body="Late, sorry")
    html = PANEL.render(Context({"clocks": ticket_clocks(ticket, at(2026, 3, 10, 11, 0))}))
    assert "First response" in html and "met late" in html
    assert "1h / 4h" in html  # resolution: an hour of its four used
    assert "Tue 10 Mar 14:00 CET" in html
    assert "No service-level clocks" in PANEL.render(Context({"clocks": []}))
