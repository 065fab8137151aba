"""Every column of a queue sorts both ways, and its pages follow on without gaps or
repeats, ties included (keyset pages on the column and the number)."""

from __future__ import annotations

import re

import pytest

from rapport.desk import queries
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Status


@pytest.fixture
def tickets(world: World) -> dict[int, dict[str, str]]:
    """Seven tickets whose columns repeat values, so pages break inside ties."""
    opened = Status.objects.get(slug="open")  # "New" tickets become "Open"
    made: dict[int, dict[str, str]] = {}
    plan = [
        ("contact", "Alpha printer", world.agent, None),
        ("other_contact", "Bravo VPN", None, None),
        ("colleague", "Alpha printer", world.lead, opened),
        ("contact", "Charlie invoice", world.agent, opened),
        ("other_contact", "Delta login", world.lead, None),
        ("contact", "Bravo VPN", None, opened),
        ("colleague", "Echo mail", world.agent, None),
    ]
    for requester, subject, assignee, status in plan:
        ticket = world.ticket(requester, subject=subject)
        if assignee is not None:
            actions.assign(world.agent, ticket, assignee)
        if status is not None:
            actions.set_status(world.agent, ticket, status)
        ticket.refresh_from_db()
        made[ticket.pk] = {
            "subject": ticket.subject,
            "client": ticket.client_party.name,
            "status": ticket.status.name,
            "assignee": ticket.assignee.display_name if ticket.assignee else "",
        }
    return made


def _walk(world: World, query: str) -> list[int]:
    """Every page of the team queue, following "Next page"."""
    browser = signed_in(world, "agent")
    url: str | None = f"/desk/q/team/?{query}"
    seen: list[int] = []
    while url:
        response = browser.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'class="error"' not in page, url
        seen += numbers_on(page)
        found = re.search(r'href="([^"]+)" rel="next"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    return seen


@pytest.mark.parametrize("column", ["subject", "client", "status", "assignee"])
@pytest.mark.parametrize("descending", [False, True])
def test_text_columns_sort_and_page(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tickets: dict[int, dict[str, str]],
    column: str,
    descending: bool,
) -> None:
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    seen = _walk(world, f"sort={'-' if descending else ''}{column}")
    assert sorted(seen) == sorted(tickets), "every ticket once, none twice"
    # Within a value the number breaks the tie, in the same direction.
    expected = sorted(tickets, key=lambda n: (tickets[n][column].lower(), n), reverse=descending)
    assert seen == expected


def test_headers_link_to_every_sort(world: World, tickets: dict[int, dict[str, str]]) -> None:
    page = signed_in(world, "agent").get("/desk/q/team/?sort=client").content.decode()
    assert 'aria-sort="ascending"><a href="/desk/q/team/?sort=-client">Client' in page
    for column in ("subject", "status", "assignee"):
        assert f'<a href="/desk/q/team/?sort={column}">' in page
    assert "client A–Z" in page
