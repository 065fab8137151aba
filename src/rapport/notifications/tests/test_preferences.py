"""Each person chooses, per kind, whether they hear of it in the app, by e-mail, both or
neither; with no choice made, both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from rapport.core.errors import Invalid, NotFound
from rapport.notifications import delivery
from rapport.notifications.actions import notify, set_preferences
from rapport.notifications.queries import inbox, preferences
from rapport.testing import World


@pytest.fixture
def heard() -> Iterator[list[tuple[str, str]]]:
    saved = dict(delivery._channels)
    delivery._channels.clear()
    got: list[tuple[str, str]] = []
    delivery.register(
        "mail", lambda person, kind, ticket, text: got.append((person.username, kind))
    )
    yield got
    delivery._channels.clear()
    delivery._channels.update(saved)


def test_by_default_both(world: World, heard: list[tuple[str, str]]) -> None:
    notify([world.agent], "sla_warning", None, "Due soon.")
    assert heard == [("agent", "sla_warning")]
    assert inbox(world.agent).count() == 1


def test_email_off_keeps_the_app(world: World, heard: list[tuple[str, str]]) -> None:
    set_preferences(world.agent, world.agent, {"sla_warning": (True, False)})
    notify([world.agent, world.lead], "sla_warning", None, "Due soon.")
    assert heard == [("lead", "sla_warning")]
    assert inbox(world.agent).count() == 1


def test_app_off_keeps_the_email(world: World, heard: list[tuple[str, str]]) -> None:
    set_preferences(world.agent, world.agent, {"handoff": (False, True)})
    notify([world.agent], "handoff", None, "Have a look.")
    notify([world.agent], "sla_breach", None, "Breached.")
    assert heard == [("agent", "handoff"), ("agent", "sla_breach")]
    assert [n.kind for n in inbox(world.agent)] == ["sla_breach"]


def test_the_preferences_page_saves_what_is_ticked(
    world: World, heard: list[tuple[str, str]]
) -> None:
    browser = Client()
    browser.force_login(world.agent)
    page = browser.get("/notifications/preferences")
    assert page.status_code == 200 and "By e-mail" in page.text
    ticked = {f"{kind}__app": "on" for kind in preferences(world.agent)}
    ticked["sla_breach__email"] = "on"
    answer = browser.post("/notifications/preferences", ticked)
    assert answer.status_code == 302
    assert preferences(world.agent)["sla_warning"] == (True, False)
    assert preferences(world.agent)["sla_breach"] == (True, True)
    notify([world.agent], "sla_warning", None, "Due soon.")
    assert heard == []


def test_nobody_sets_anothers_and_unknown_kinds_are_refused(world: World) -> None:
    with pytest.raises(NotFound):
        set_preferences(world.agent, world.lead, {"handoff": (False, False)})
    with pytest.raises(Invalid):
        set_preferences(world.agent, world.agent, {"no_such_kind": (False, False)})
    set_preferences(world.admin, world.lead, {"handoff": (False, False)})
    assert preferences(world.lead)["handoff"] == (False, False)
