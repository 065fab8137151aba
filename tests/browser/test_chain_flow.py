"""The service chain in a real browser: a customer asks; the agent hands work to IT and
to a vendor; the vendor solves from the portal; the agent replies; the customer reads
one coherent thread and never a word of the hand-offs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.notifications.models import Notification
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Words only the hand-offs and the staff's notes contain: the customer must never see them.
HIDDEN = ("PrintCo", "IT Service Desk", "zanzibar", "fuser", "Printer part", "VPN for Globex")


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def test_customer_agent_it_vendor_and_back(page: Page, live_server: Any, world: World) -> None:
    base = live_server.url
    sign_in(page, base, "contact")
    page.get_by_role("link", name="New request").click()
    page.get_by_label("Who should help?").select_option(label="Customer Support (Globex support)")
    page.get_by_label("Subject").fill("Office printer and VPN")
    page.get_by_label("Describe the problem").fill("The printer on floor 3 jams; VPN drops too.")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".flash")).to_contain_text("was received")
    parent = Ticket.objects.get(subject="Office printer and VPN")
    actions.assign(world.agent, parent, world.agent)
    actions.add_note(world.agent, parent, body="zanzibar: they broke it last month too")

    # The agent hands the VPN to IT and the printer to PrintCo, then waits on both.
    switch_to(page, base, "agent")
    page.goto(f"{base}/desk/t/{parent.pk}/")
    page.get_by_role("link", name="Hand off…").click()
    expect(page.get_by_label("Hand to")).to_be_focused()
    page.get_by_label("Hand to").select_option(
        label="IT Service Desk (internal team; IT for everyone, OLA)"
    )
    page.locator("#ho-subject").fill("VPN for Globex")
    page.get_by_label("What they need to know").fill("Their VPN drops every hour.")
    page.get_by_role("button", name="Hand off").click()
    expect(page.locator(".flash")).to_contain_text("to IT Service Desk")
    page.get_by_role("link", name="Hand off…").click()
    page.get_by_label("Hand to").select_option(label="PrintCo (vendor; PrintCo printer care, UC)")
    page.locator("#ho-subject").fill("Printer part")
    page.get_by_label("What they need to know").fill("Please replace the fuser.")
    page.get_by_label("Quote the customer's request").check()
    page.get_by_label("Put this ticket on hold until it is done").check()
    page.get_by_role("button", name="Hand off").click()
    expect(page.locator("#handoffs li")).to_have_count(2)
    expect(page.locator("#handoffs")).to_contain_text("PrintCo")
    expect(page.locator("#fields")).to_contain_text("Waiting on partner")
    screenshot(page, "chain-parent-with-handoffs")
    it_child = Ticket.objects.get(subject="VPN for Globex")
    vendor_child = Ticket.objects.get(subject="Printer part")
    assert it_child.agreement == world.ola and vendor_child.agreement == world.uc

    # The customer meanwhile reads only that a partner is involved.
    switch_to(page, base, "contact")
    page.goto(f"{base}/portal/r/{parent.pk}/")
    expect(page.locator("#plain-status")).to_have_text("Waiting on a partner")
    for word in HIDDEN:
        expect(page.locator("body")).not_to_contain_text(word)

    # IT solves its part from the desk; the vendor works theirs in the portal.
    actions.set_status(world.other_agent, it_child, actions.default_status("solved"))
    switch_to(page, base, "vendor_user")
    page.goto(f"{base}/portal/?tab=handed")
    page.get_by_role("link", name="Printer part").click()
    expect(page.locator("#thread")).to_contain_text("Please replace the fuser.")
    expect(page.locator("#thread")).to_contain_text("The printer on floor 3 jams")
    expect(page.locator("body")).not_to_contain_text("zanzibar")
    expect(page.locator("body")).not_to_contain_text("VPN for Globex")
    page.get_by_label("Your reply").fill("Which model is it?")
    page.get_by_role("button", name="Send and ask for information").click()
    expect(page.locator("#thread")).to_contain_text("Which model is it?")
    vendor_child.refresh_from_db()
    assert vendor_child.status_category == "pending_client"
    actions.reply(world.agent, vendor_child, body="A LaserJet 4250.")
    page.reload()
    page.get_by_label("Your reply").fill("New fuser fitted, printing again.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_role("button", name="Mark as resolved").click()
    expect(page.locator("#plain-status")).to_have_text("Solved")

    # The agent heard of both (the chain's reaction, run here as the worker would),
    # finds the ticket open again and answers the customer.
    drain_reactions()
    assert Notification.objects.filter(recipient=world.agent, kind="child_solved").count() == 2
    switch_to(page, base, "agent")
    page.goto(f"{base}/desk/t/{parent.pk}/")
    expect(page.locator("#handoffs")).to_contain_text("Solved")
    page.locator("#reply-body").fill("The printer and the VPN both work again.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#thread")).to_contain_text("both work again")

    # One coherent thread for the customer: their words and ours, nothing else.
    switch_to(page, base, "contact")
    page.goto(f"{base}/portal/r/{parent.pk}/")
    messages = page.locator("#thread article")
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_contain_text("The printer on floor 3 jams")
    expect(messages.nth(1)).to_contain_text("The printer and the VPN both work again.")
    expect(page.locator("#plain-status")).to_have_text("We're working on it")
    for word in HIDDEN:
        expect(page.locator("body")).not_to_contain_text(word)
    screenshot(page, "chain-customer-thread")
