"""An agent saves a filtered queue under a name, opens it from the sidebar, deletes it."""

from __future__ import annotations

import pytest

from rapport.desk import queries
from rapport.desk.models import SavedView
from rapport.desk.tests.helpers import numbers_on, signed_in
from rapport.testing import World
from rapport.tickets import actions


def test_save_open_and_delete_a_view(world: World) -> None:
    urgent = world.ticket("contact", subject="Server down")
    actions.set_priority(world.agent, urgent, 4)
    world.ticket("contact", subject="Question")
    browser = signed_in(world, "agent")
    response = browser.post(
        "/desk/views",
        {"name": "Urgent ones", "queue": "team", "query": "priority=4&cursor=abc&evil=1"},
    )
    view = SavedView.objects.get(owner=world.agent)
    assert view.query == "priority=4"  # only filter keys are kept
    assert response["Location"] == f"/desk/q/team/?priority=4&view={view.pk}"
    page = browser.get(response["Location"]).content.decode()
    assert numbers_on(page) == [urgent.pk]
    assert 'aria-current="page"><span>Urgent ones</span>' in page
    # Nobody else sees it.
    assert "Urgent ones" not in signed_in(world, "lead").get("/desk/").content.decode()
    assert signed_in(world, "lead").post(f"/desk/views/{view.pk}/delete").status_code == 302
    assert SavedView.objects.filter(pk=view.pk).exists()
    browser.post(f"/desk/views/{view.pk}/delete")
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_bad_view_names_are_refused(world: World) -> None:
    browser = signed_in(world, "agent")
    browser.post("/desk/views", {"name": "Mine", "queue": "mine", "query": ""})
    for name, error in (("Mine", "already have a view"), ("", "A view needs a name"),
                        ("x" * 81, "at most 80"), ("   ", "A view needs a name")):  # fmt: skip
        page = browser.post(
            "/desk/views", {"name": name, "queue": "nope", "query": ""}, follow=True
        ).content.decode()
        assert error in page, name
    assert SavedView.objects.filter(owner=world.agent).count() == 1


def test_views_show_live_capped_counts(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "CAP", 2)
    for i in range(4):
        ticket = world.ticket("contact", subject=f"Printer {i}")
        if i < 2:
            actions.tag(world.agent, ticket, ["printer"])
    other = world.ticket("other_contact", subject="VPN")
    actions.set_priority(world.agent, other, 4)
    browser = signed_in(world, "agent")
    views = {
        "Printers": "tag=printer", "All": "", "Urgent": "priority=4", "Words": "q=printer",
        "Stale": "priority=nonsense&assignee=-1",
    }  # fmt: skip
    for name, query in views.items():
        browser.post("/desk/views", {"name": name, "queue": "team", "query": query})
    sidebar = browser.get("/desk/counts").content.decode()

    def count(name: str) -> str:
        return sidebar.split(f"<span>{name}</span>")[1].split("</span>")[0].rsplit(">", 1)[1]

    assert count("Printers") == "2"
    assert count("Urgent") == "1"
    assert count("All") == "2+"  # capped, as the queues are
    assert count("Words") == "2+"
    assert count("Stale") == "2+"  # a value that no longer reads is left out
    actions.tag(world.agent, other, ["printer"])
    assert ">3<" not in sidebar
    fresh = browser.get("/desk/counts").content.decode()
    assert fresh.split("<span>Printers</span>")[1].split("</span>")[0].endswith(">2+")
