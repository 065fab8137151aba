"""Automation in a real browser: the admin writes an automation, previews it with the
dry run and saves it; an agent types "::" in the reply box, picks a macro with the
keyboard and gets its text (and its field change) in one keystroke."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.automation.actions import macros, webhooks
from rapport.automation.models import Rule
from rapport.testing import World
from rapport.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})


def test_dry_run_save_and_macro_from_the_reply_box(
    page: Page, live_server: Any, world: World
) -> None:
    base = live_server.url
    for n in range(3):
        world.ticket("contact", subject=f"Printer {n}")
    macros.create_macro(world.admin, {
        "title": "Toner on its way", "shortcut": "toner", "visibility": "everyone",
        "body": "Hello {{ requester.first_name }}, new toner for #{{ ticket.number }} is on "
                "its way.", "actions": [{"type": "add_tags", "value": ["toner"]}]})  # fmt: skip
    webhooks.create_webhook(world.admin, {"name": "CRM", "url": "http://127.0.0.1:9/hook",
                                          "kinds": ["created"], "secret": "s" * 24})  # fmt: skip

    sign_in(page, base, "admin")
    page.goto(f"{base}/automation/rules/new/automation")
    page.get_by_label("Name").fill("Tag open printer tickets")
    page.get_by_label("Conditions").fill(json.dumps({"all": [
        {"field": "status", "op": "is", "value": "open"},
        {"field": "tags", "op": "excludes", "value": "printer"}]}))  # fmt: skip
    page.get_by_label("Actions").fill(json.dumps([{"type": "add_tags", "value": ["printer"]}]))
    page.get_by_role("button", name="Dry run: which tickets match now?").click()
    expect(page.locator("#dry-run")).to_contain_text("3 current tickets match now")
    both_widths(page, "automation-rule")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Tag open printer tickets")).to_be_visible()
    assert Rule.objects.get().kind == "automation"
    both_widths(page, "automation-home")
    page.get_by_role("link", name="CRM").click()
    both_widths(page, "automation-webhook")

    page.context.clear_cookies()
    sign_in(page, base, "agent")
    ticket = Ticket.objects.order_by("id").first()
    assert ticket is not None
    page.goto(f"{base}/desk/t/{ticket.pk}/")
    box = page.locator("#reply-body")
    box.click()
    box.type("Hi! ::ton")
    option = page.get_by_role("option", name="Toner on its way")
    expect(option).to_be_visible()
    both_widths(page, "automation-reply-box")
    box.press("Enter")
    expect(box).to_have_value(f"Hi! Hello Contact, new toner for #{ticket.pk} is on its way.")
    expect(page.locator("[data-macro-status]")).to_contain_text("Inserted")
    assert ticket.tags.filter(name="toner").exists()
    page.goto(f"{base}/automation/")
    both_widths(page, "automation-home-agent")
