"""An admin finds a parked reaction on the desk's reactions page and runs it again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.testing import World
from rapport.tickets import actions, reactor
from rapport.tickets.models import Event, PendingReaction, ReactionState, Ticket
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_admin_retries_a_parked_reaction(
    page: Page, live_server: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = {"yes": True}

    def webhook(event: Event, ticket: Ticket) -> None:
        if down["yes"]:
            raise ConnectionError("hooks.example answered 503 Service Unavailable")

    name = "hooks.post_tag"
    monkeypatch.setitem(
        reactor._subscribers, name, reactor.Subscriber(name, frozenset({"tagged"}), webhook)
    )
    ticket = world.ticket("contact")
    actions.tag(world.agent, ticket, ["vip"])
    drain_reactions()
    PendingReaction.objects.filter(subscriber=name).update(
        state=ReactionState.PARKED, attempts=reactor.MAX_ATTEMPTS, next_attempt_at=None
    )

    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/desk/reactions")
    row = page.locator("tr", has_text=name).last
    expect(row).to_contain_text(f"#{ticket.pk}")
    expect(row).to_contain_text("Parked")
    expect(row).to_contain_text("503 Service Unavailable")
    screenshot(page, "reactions-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reactions-390")
    page.set_viewport_size({"width": 1280, "height": 860})

    down["yes"] = False
    row.get_by_role("button", name="Retry now").click()
    page.wait_for_load_state()
    expect(page.get_by_text("ran.")).to_be_visible()
    expect(page.get_by_text("Nothing failed.")).to_be_visible()
    assert not PendingReaction.objects.exists()
