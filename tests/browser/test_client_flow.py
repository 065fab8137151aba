"""A customer raises a request and follows it; a vendor user sees only what was handed
to their organisation. In a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

# A live server needs committed data; serialized_rollback puts back the statuses the
# migrations created, which the flush after each test would otherwise take away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_customer_submits_and_sees_the_reply_but_never_the_note(
    page: Page, live_server: Any, world: World
) -> None:
    sign_in(page, live_server.url, "contact")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.get_by_role("link", name="New request").click()
    page.get_by_label("Who should help?").select_option(label="Customer Support (Globex support)")
    page.get_by_label("Subject").fill("Checkout fails")
    page.get_by_label("Describe the problem").fill("Card payments are refused since 9:00.")
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "error.txt", "mimeType": "text/plain", "buffer": b"HTTP 502"}]
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".flash")).to_contain_text("was received")
    expect(page.locator("#plain-status")).to_have_text("We're working on it")
    expect(page.locator("#thread")).to_contain_text("error.txt")

    ticket = Ticket.objects.get(subject="Checkout fails")
    actions.reply(world.agent, ticket, body="We restarted the payment gateway.")
    actions.add_note(world.agent, ticket, body="zanzibar: gateway vendor to blame")
    page.reload()
    expect(page.locator("#thread")).to_contain_text("We restarted the payment gateway.")
    expect(page.locator("body")).not_to_contain_text("zanzibar")
    page.get_by_label("Your reply").fill("Works now, thank you!")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#thread")).to_contain_text("Works now, thank you!")
    page.get_by_role("button", name="Mark as resolved").click()
    expect(page.locator("#plain-status")).to_have_text("Resolved")
    screenshot(page, "portal-request")
    page.goto(f"{live_server.url}/desk/")
    expect(page.get_by_role("heading", name="The desk is for our staff")).to_be_visible()


def test_vendor_user_sees_only_their_organisations_tickets(
    page: Page, live_server: Any, world: World
) -> None:
    handed = world.handoff(body="Please send a technician to floor 2.")
    other = world.ticket("contact", subject="Globex's own problem")
    sign_in(page, live_server.url, "vendor_user")
    expect(page.get_by_role("heading", name="Handed to my organisation")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Printer broken")
    screenshot(page, "portal-vendor")
    rows.get_by_role("link").click()
    page.get_by_label("Your reply").fill("Technician booked for Monday.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#thread .from-provider")).to_contain_text("Technician booked")
    response = page.goto(f"{live_server.url}/portal/r/{other.pk}/")
    assert response is not None and response.status == 404
    assert handed.messages.filter(author=world.vendor_user, author_side="provider").exists()
