"""The desk's newer interactions in a real browser: rename a ticket in place, read
earlier messages of a long thread, filter a queue by a client found by typing, sort
by a column."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import sign_in

from rapport.desk.queries import thread
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_rename_and_read_earlier_messages(
    page: Page, live_server: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(thread, "THREAD_PAGE", 3)
    ticket = world.ticket("contact", subject="Printer", body="Message 0")
    for i in range(1, 8):
        actions.reply(world.agent, ticket, body=f"Message {i}")
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/desk/t/{ticket.pk}/")
    page.wait_for_load_state()

    messages = page.locator("article.msg")
    expect(messages).to_have_count(3)
    expect(messages.first).to_contain_text("Message 5")
    page.get_by_role("link", name="Show earlier messages").click()
    expect(messages).to_have_count(6)
    page.get_by_role("link", name="Show earlier messages").click()
    expect(messages).to_have_count(8)
    expect(page.get_by_role("link", name="Show earlier messages")).to_have_count(0)
    expect(messages.first).to_contain_text("Message 0")
    # A reply arriving now joins the thread; the earlier messages stay on screen.
    actions.reply(world.contact, ticket, body="Message 8")
    expect(messages).to_have_count(9, timeout=20_000)

    page.locator("details.rename summary").click()
    field = page.get_by_label("New subject")
    field.fill("   ")
    field.press("Enter")  # the browser lets spaces through `required`; the action refuses
    expect(page.locator("#f-subject-error")).to_contain_text("subject")
    # The form came back in the answer: until htmx has settled it, Enter would submit
    # it the plain way (a whole page, still a rename) instead of in place.
    page.wait_for_function(
        "() => !document.querySelector("
        "'#subject.htmx-added, #subject.htmx-settling, #subject .htmx-added')"
    )
    page.get_by_label("New subject").fill("Printer jams on tray 2")
    page.get_by_label("New subject").press("Enter")
    expect(page.locator("#subject h1")).to_contain_text("Printer jams on tray 2")
    expect(page.locator("#subject [role=status]")).to_contain_text("Subject changed.")
    expect(page.locator("#history")).to_contain_text("renamed it “Printer jams on tray 2”")
    assert Ticket.objects.get(pk=ticket.pk).subject == "Printer jams on tray 2"


def test_client_filter_by_typing_and_sort_by_subject(
    page: Page, live_server: Any, world: World
) -> None:
    for requester, subject in (("contact", "Bravo"), ("other_contact", "Alpha"),
                               ("contact", "Charlie"), ("other_contact", "Delta")):  # fmt: skip
        world.ticket(requester, subject=subject)
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/desk/q/team/")
    page.wait_for_load_state()
    rows = page.locator("tr[data-row] td.subject a")
    expect(rows).to_have_count(4)

    header = page.locator("thead a", has_text="Subject")
    header.click()
    expect(rows).to_have_text(["Alpha", "Bravo", "Charlie", "Delta"])
    header.click()
    expect(rows).to_have_text(["Delta", "Charlie", "Bravo", "Alpha"])

    page.get_by_label("Client", exact=True).press_sequentially("init", delay=30)
    suggestion = page.locator("#client-suggestions").get_by_role("link", name="Initech")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page).to_have_url(re.compile(r"client=\d+"))
    expect(rows).to_have_text(["Delta", "Alpha"])  # still sorted Z–A
    expect(page.get_by_label("Client", exact=True)).to_have_value("Initech")


def test_change_the_agreement_and_the_clock_panel_follows(
    page: Page, live_server: Any, world: World
) -> None:
    from datetime import date

    from rapport.agreements import actions as agreement_actions

    ticket = world.ticket("contact", subject="Printer")
    agreement_actions.create_agreement(
        None, name="Globex premium", kind="sla", provider=world.support.party,
        client=world.customer.party, calendar=world.calendar, active_from=date(2020, 1, 1),
        targets=[{"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 480}],
    )  # fmt: skip
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/desk/t/{ticket.pk}/")
    panel = page.locator("#sla-block")
    expect(panel).to_contain_text("Service levels")
    before = panel.inner_text()

    page.get_by_role("link", name="Change agreement").click()
    choice = page.get_by_label("Agreement", exact=True)
    expect(choice).to_be_focused()
    choice.select_option(label="Globex premium · SLA (customer)")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#fields")).to_contain_text("Globex premium")
    expect(page.locator("#fields [role=status]")).to_contain_text("Agreement changed")
    expect(page.locator("#history")).to_contain_text("agreement Globex premium applies")
    expect(panel).not_to_have_text(before)  # new due times, without a reload
    assert Ticket.objects.get(pk=ticket.pk).agreement.name == "Globex premium"  # type: ignore[union-attr]
