"""Proactive service in a real browser: the manager reads why a client is at risk,
previews and sends an outreach to the affected clients; the agent sees the ticket going
sour in the queue and its mood and breach forecast beside the clocks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.proactive.actions import refresh_forecasts, snapshot_risks
from rapport.proactive.models import Outreach
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})


def test_at_risk_outreach_and_a_sour_ticket(page: Page, live_server: Any, world: World) -> None:
    base = live_server.url
    first = world.ticket(subject="Card terminal offline", body="The card terminal is offline.")
    for body in (
        "Any news? Still offline and customers are waiting.",
        "This is unacceptable. Terrible service, nobody calls us back!",
    ):
        ticket_actions.reply(world.contact, first, body=body)
    second = world.ticket(
        requester="org_admin",
        subject="Receipts not printing",
        body="This is awful, the third outage this week. I am furious.",
    )
    drain_reactions()
    snapshot_risks()
    refresh_forecasts()

    sign_in(page, base, "manager")
    page.goto(f"{base}/proactive/")
    expect(page.get_by_role("heading", name="Clients at risk")).to_be_visible()
    expect(page.get_by_role("table", name="Clients by risk")).to_contain_text("Globex")
    expect(page.get_by_role("table", name="Clients by risk")).to_contain_text(
        "Negative sentiment trend"
    )
    both_widths(page, "proactive-at-risk")

    page.goto(f"{base}/proactive/outreach/?tickets={first.pk},{second.pk}")
    page.get_by_label("Subject").fill("Card terminals: a known outage")
    page.get_by_label("Message").fill("Our payment provider has an outage; we are on it.")
    page.get_by_role("button", name="Preview recipients (dry run)").click()
    expect(page.get_by_role("heading", name="Recipients (2)")).to_be_visible()
    both_widths(page, "proactive-outreach-preview")
    page.get_by_role("button", name="Send to 2 clients").click()
    expect(page.get_by_text("Sent to 2 clients.")).to_be_visible()
    assert Outreach.objects.get().recipients.count() == 2

    page.context.clear_cookies()
    sign_in(page, base, "agent")
    page.goto(f"{base}/desk/q/team/?sort=-breach_risk")
    expect(page.get_by_text("going sour").first).to_be_visible()
    both_widths(page, "proactive-queue")
    page.goto(f"{base}/desk/t/{first.pk}/")
    panel = page.locator("#proactive-panel")
    expect(panel.get_by_role("heading", name="Mood & breach forecast")).to_be_visible()
    expect(panel).to_contain_text("chance of breach")
    both_widths(page, "proactive-ticket")
