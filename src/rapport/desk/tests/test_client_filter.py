"""The client filter: suggestions as the agent types (htmx), by number or by name."""

from __future__ import annotations

import re

import pytest

from rapport.desk.models import SavedView
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.directory import actions as directory
from rapport.testing import World


@pytest.fixture
def tickets(world: World) -> dict[str, int]:
    globex = world.ticket("contact", subject="Printer jams")
    initech = world.ticket("other_contact", subject="VPN drops")
    return {"globex": globex.pk, "initech": initech.pk}


def _team(world: World, query: str) -> str:
    response = signed_in(world, "agent").get(f"/desk/q/team/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_suggestions_link_to_the_filtered_queue(world: World, tickets: dict[str, int]) -> None:
    browser = signed_in(world, "agent")
    response = browser.get("/desk/clients?client_name=ini&queue=team&priority=2&cursor=x")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="client-suggestions"' in html
    link = re.search(r'<a href="([^"]+)">Initech</a>', html)
    assert link, html
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith("/desk/q/team/?") and "priority=2" in url and "cursor" not in url
    page = browser.get(url.replace("priority=2", "priority=")).content.decode()
    assert numbers_on(page) == [tickets["initech"]]
    assert 'value="Initech"' in page  # the field shows whom the queue is filtered by
    assert "Globex" not in browser.get("/desk/clients?client_name=ini").content.decode()


def test_typed_name_filters_without_script(world: World, tickets: dict[str, int]) -> None:
    assert numbers_on(_team(world, "client_name=globex")) == [tickets["globex"]]
    assert numbers_on(_team(world, "client_name=Init")) == [tickets["initech"]]
    assert numbers_on(_team(world, f"client={world.customer.party_id}")) == [tickets["globex"]]


def test_a_view_saves_the_client_by_number(world: World, tickets: dict[str, int]) -> None:
    browser = signed_in(world, "agent")
    page = browser.get("/desk/q/team/?client_name=initech").content.decode()
    query = re.search(r'name="query" value="([^"]*)"', page)
    assert query and query.group(1) == f"client={world.other_customer.party_id}"
    browser.post("/desk/views", {"name": "Initech", "queue": "team", "query": query.group(1)})
    view = SavedView.objects.get(owner=world.agent)
    assert numbers_on(browser.get(view.get_absolute_url()).content.decode()) == [tickets["initech"]]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("client_name=nobody", "No client is called “nobody”"),
        ("client_name=Glo", "Several clients match “Glo”"),
        ("client=abc", "Enter a whole number"),
        ("client=99999999", "There is no such client"),
        ("client=" + "9" * 30, "less than or equal"),
        ("client_name=" + "x" * 300, "at most 200"),
    ],
)
def test_bad_clients_are_field_errors(
    world: World, tickets: dict[str, int], query: str, error: str
) -> None:
    directory.create_organisation(None, name="Glorious Foods", kind="customer")
    page = _team(world, query)
    assert error in page and 'aria-invalid="true"' in page
    assert sorted(numbers_on(page)) == sorted(tickets.values())  # the filter is left out


def test_names_are_escaped_in_suggestions(world: World) -> None:
    directory.create_organisation(None, name="<img src=x onerror=alert(1)> Ltd", kind="customer")
    html = signed_in(world, "agent").get("/desk/clients?client_name=%3Cimg").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt; Ltd" in html
    empty = signed_in(world, "agent").get("/desk/clients?client_name=zzz").content.decode()
    assert "No client matches “zzz”" in empty
