"""An agent saves a filtered queue under a name, opens it from the sidebar, deletes it."""

from __future__ import annotations

from rapport.core.testing import World
from rapport.desk.models import SavedView
from rapport.desk.tests.helpers import numbers_on, signed_in
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
    assert 'aria-current="page">Urgent ones</a>' in page
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
