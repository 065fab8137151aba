"""The manager's landing page in a real browser, at 1280 and 390 px: a manager signs
in, lands on the dashboard, and a figure opens the tickets behind it; from a ticket
the client's profile, then a search that finds closed tickets too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.desk import actions as desk_actions
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets import actions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})


def test_dashboard_click_through_profile_and_search(
    page: Page, live_server: Any, world: World
) -> None:
    base = live_server.url
    late = world.ticket("contact", subject="Checkout fails at payment")
    first = TicketClock.objects.get(ticket=late, kind="first_response")
    TicketClock.objects.filter(pk=first.pk).update(due_at=clock.now() - timedelta(minutes=3))
    world.ticket("colleague", subject="Invoice address wrong")
    done = world.ticket("contact", subject="Password expired last week")
    actions.set_status(world.agent, done, actions.default_status(StatusCategory.CLOSED))
    world.handoff()
    desk_actions.add_client_note(
        world.agent, party=world.customer.party, body="Renewal due in March: be quick."
    )

    sign_in(page, base, "manager")
    expect(page).to_have_url(f"{base}/desk/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    both_widths(page, "desk-dashboard")

    page.locator('[data-figure="breached sla"]').click()
    expect(page.locator("table.queue")).to_contain_text("Checkout fails at payment")
    expect(page.locator("table.queue")).not_to_contain_text("Invoice address wrong")

    page.goto(f"{base}/desk/t/{late.pk}/")
    page.locator("#fields").get_by_role("link", name="Globex").click()
    expect(page.get_by_role("heading", name="Globex")).to_be_visible()
    expect(page.get_by_text("Renewal due in March")).to_be_visible()
    both_widths(page, "desk-client-profile")

    page.get_by_role("link", name="Contact", exact=True).click()
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    both_widths(page, "desk-person-profile")

    page.get_by_label("Search all tickets, closed ones too").fill("password")
    page.keyboard.press("Enter")
    expect(page.locator("table.queue")).to_contain_text("Password expired last week")
