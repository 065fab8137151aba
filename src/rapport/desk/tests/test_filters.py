"""Filters, sorting and keyset pages of a queue; bad filter values are field errors."""

from __future__ import annotations

import pytest

from rapport.core.choices import Priority
from rapport.desk import queries
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.testing import World
from rapport.tickets import actions


@pytest.fixture
def tickets(world: World) -> dict[str, int]:
    printer = world.ticket("contact", subject="Printer jams", body="Paper everywhere")
    actions.set_priority(world.agent, printer, Priority.URGENT)
    actions.tag(world.agent, printer, ["hardware"])
    actions.assign(world.agent, printer, world.lead)
    vpn = world.ticket("other_contact", subject="VPN drops", body="Every hour")
    invoice = world.ticket("colleague", subject="Invoice wrong", body="VAT is off")
    actions.assign(world.agent, invoice, world.agent)
    return {"printer": printer.pk, "vpn": vpn.pk, "invoice": invoice.pk}


def _team(world: World, query: str) -> str:
    response = signed_in(world, "agent").get(f"/desk/q/team/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_filters_narrow_the_queue(world: World, tickets: dict[str, int]) -> None:
    assert numbers_on(_team(world, "q=printer")) == [tickets["printer"]]
    assert numbers_on(_team(world, "priority=4")) == [tickets["printer"]]
    assert numbers_on(_team(world, "tag=Hardware")) == [tickets["printer"]]
    assert numbers_on(_team(world, f"client={world.other_customer.party_id}")) == [tickets["vpn"]]
    assert numbers_on(_team(world, "assignee=me")) == [tickets["invoice"]]
    assert numbers_on(_team(world, "assignee=none")) == [tickets["vpn"]]
    assert numbers_on(_team(world, f"assignee={world.lead.pk}")) == [tickets["printer"]]
    assert numbers_on(_team(world, "status=new")) == [
        tickets["invoice"], tickets["vpn"], tickets["printer"]
    ]  # fmt: skip
    assert numbers_on(_team(world, f"provider={world.it.party_id}")) == []


def test_columns_sort_both_ways(world: World, tickets: dict[str, int]) -> None:
    assert numbers_on(_team(world, "sort=number")) == sorted(tickets.values())
    assert numbers_on(_team(world, "sort=-number")) == sorted(tickets.values(), reverse=True)
    assert numbers_on(_team(world, "sort=-priority"))[0] == tickets["printer"]
    page = _team(world, "sort=number")
    assert 'aria-sort="ascending"><a href="/desk/q/team/?sort=-number">#' in page


def test_pages_follow_on_without_gaps(
    world: World, monkeypatch: pytest.MonkeyPatch, tickets: dict[str, int]
) -> None:
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    browser = signed_in(world, "agent")
    first = browser.get("/desk/q/team/?sort=number").content.decode()
    assert numbers_on(first) == sorted(tickets.values())[:2]
    next_url = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = browser.get(next_url.replace("&amp;", "&")).content.decode()
    assert numbers_on(second) == sorted(tickets.values())[2:]
    assert 'rel="next"' not in second


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense", "priority=99", "priority=high", "provider=abc", "client=99999999",
        "assignee=-1", "sort=nonsense", "cursor=%25%25%25", "cursor=WzEsMl0", "q=" + "x" * 300,
        "tag=" + "t" * 70, "q=a%00b", "tag=x%00", "q=%3Cscript%3Ealert(1)%3C/script%3E",
    ],
)  # fmt: skip
def test_bad_filters_are_field_errors_not_failures(world: World, query: str) -> None:
    response = signed_in(world, "agent").get(f"/desk/q/team/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    if not query.startswith("q=%3C"):
        assert 'class="error"' in page, query


def test_unknown_queue_is_404(world: World) -> None:
    assert signed_in(world, "agent").get("/desk/q/nope/").status_code == 404
