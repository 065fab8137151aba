"""The manager's dashboard: managers land on it, every figure opens the tickets
behind it, and it costs the same number of queries however much there is."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core import clock
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Status


def _figure(html: str, name: str) -> tuple[str, int]:
    """The link and the number of the figure marked `data-figure="name"`."""
    match = re.search(
        rf'<a [^>]*href="([^"]+)"[^>]*data-figure="{re.escape(name)}"[^>]*>\s*'
        r"(?:<span class=\"dash-number\">|<strong>)(\d+)<",
        html,
    )
    assert match, name
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def _breach(ticket_id: int) -> None:
    """Make the ticket's first-response clock run past its due time."""
    clock_row = TicketClock.objects.get(ticket_id=ticket_id, kind="first_response")
    TicketClock.objects.filter(pk=clock_row.pk).update(due_at=clock.now() - timedelta(minutes=5))


def _world_of_work(world: World) -> dict[str, int]:
    a = world.ticket("contact", subject="Received and breached")
    world.ticket("colleague", subject="Received, fine")
    solved = world.ticket("contact", subject="Solved today")
    actions.set_status(world.agent, solved, Status.objects.get(slug="solved"))
    handoff = world.handoff()
    _breach(a.pk)
    _breach(handoff.pk)
    return {"breached": a.pk, "solved": solved.pk, "handoff": handoff.pk}


def test_managers_and_admins_land_on_the_dashboard(world: World) -> None:
    for role in ("manager", "admin"):
        response = signed_in(world, role).get("/desk/")
        assert response.status_code == 302 and response["Location"] == "/desk/dashboard/"
    assert signed_in(world, "agent").get("/desk/").status_code == 200  # their queue


def test_every_figure_lists_the_tickets_it_counts(world: World) -> None:
    made = _world_of_work(world)
    browser = signed_in(world, "manager")
    page = browser.get("/desk/dashboard/").content.decode()
    checks = {
        "Received today": 4,
        "Solved today": 1,
        "breached sla": 1,
        "breached uc": 1,
        "breached ola": 0,
    }
    for name, expected in checks.items():
        url, count = _figure(page, name)
        assert count == expected, name
        listed = numbers_on(browser.get(url).content.decode())
        assert len(listed) == count, (name, url, listed)
    url, _ = _figure(page, "breached sla")
    assert numbers_on(browser.get(url).content.decode()) == [made["breached"]]
    url, _ = _figure(page, "Solved today")
    assert numbers_on(browser.get(url).content.decode()) == [made["solved"]]


def test_backlog_by_provider_links_to_its_tickets(world: World) -> None:
    _world_of_work(world)
    browser = signed_in(world, "manager")
    page = browser.get("/desk/dashboard/").content.decode()
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\"><a href=\"([^\"]+)\">(\d+)</a>", page)
    backlog = {name: (url.replace("&amp;", "&"), int(n)) for name, url, n in rows}
    assert backlog["Customer Support"][1] == 2 and backlog["PrintCo"][1] == 1
    for url, n in backlog.values():
        assert len(numbers_on(browser.get(url).content.decode())) == n


def test_an_agent_sees_only_their_teams_figures(world: World) -> None:
    _world_of_work(world)
    world.ticket("employee", subject="Laptop", provider=world.it.party)
    page = signed_in(world, "other_agent").get("/desk/dashboard/").content.decode()
    _, received = _figure(page, "Received today")
    assert received == 1  # IT's own ticket only


def test_the_dashboard_costs_the_same_queries_at_any_size(world: World) -> None:
    browser = signed_in(world, "manager")
    browser.get("/desk/dashboard/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get("/desk/dashboard/").status_code == 200
        return len(ctx)

    few = queries()
    _world_of_work(world)
    for n in range(6):
        world.ticket("other_contact", subject=f"More {n}")
    assert queries() == few
    assert few <= 16


@pytest.mark.parametrize("role", ["contact", "vendor_user"])
def test_clients_and_vendors_get_no_dashboard(world: World, role: str) -> None:
    assert signed_in(world, role).get("/desk/dashboard/").status_code == 403
