"""An agent works the desk in a real browser: keyboard, reply, note, status, bulk assign."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Message, Ticket

# A live server needs committed data; serialized_rollback puts back the statuses the
# migrations created, which the flush after each test would otherwise take away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBJECTS = (
    "Checkout fails with card payments", "Invoice 2291 shows the wrong VAT",
    "Cannot reset my password", "Export to CSV times out", "VPN drops every hour",
)  # fmt: skip


def _queue(world: World) -> list[Ticket]:
    tickets = []
    for index, subject in enumerate(SUBJECTS):
        ticket = world.ticket("colleague" if index % 2 else "contact", subject=subject)
        if index == 0:
            actions.tag(world.agent, ticket, ["billing", "vip"])
        tickets.append(ticket)
    return tickets  # newest last; the queue shows newest first


def test_agent_works_a_queue_with_the_keyboard(
    page: Page, live_server: Any, world: World, settings: Any
) -> None:
    settings.RAPPORT_THREAD_POLL_SECONDS = 1
    tickets = _queue(world)
    sign_in(page, live_server.url, "agent")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("heading", name="My open tickets")).to_be_visible()

    page.get_by_role("link", name=re.compile("All open in my teams")).click()
    expect(page.locator("tr[data-row]")).to_have_count(5)
    page.wait_for_load_state()  # the keyboard script runs once the page has loaded
    screenshot(page, "desk-queue")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    current = page.locator("tr.is-current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(SUBJECTS[3])  # second from the top: newest first
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/desk/t/{tickets[3].pk}/$"))
    page.wait_for_load_state()

    # r: reply. While the agent types, the client writes: the thread shows it, the draft stays.
    page.keyboard.press("r")
    reply_box = page.locator("#reply-body")
    expect(reply_box).to_be_focused()
    reply_box.type("We found the cause")
    actions.reply(tickets[3].requester, tickets[3], body="Any update? It is urgent.")
    expect(page.locator("#thread")).to_contain_text("Any update? It is urgent.")
    expect(reply_box).to_have_value("We found the cause")
    reply_box.type(" and fixed it.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".flash")).to_contain_text("Reply sent.")
    page.wait_for_load_state()
    expect(page.locator("#thread .from-provider")).to_contain_text(
        "We found the cause and fixed it."
    )

    # n: internal note, visibly different.
    page.keyboard.press("n")
    expect(page.locator("#note-body")).to_be_focused()
    page.keyboard.type("Root cause was the export worker.")
    page.get_by_role("button", name="Add note").click()
    note = page.locator("#thread .msg.internal")
    expect(note).to_contain_text("Root cause was the export worker.")
    expect(note).to_contain_text("Internal note")

    # Status inline (htmx): the header answers, the history follows.
    page.get_by_label("Status", exact=True).select_option(label="Pending client")
    expect(page.locator("#fields")).to_contain_text("Status changed.")
    expect(page.locator("#history")).to_contain_text("changed status new → pending")
    # A refused change answers 422 with the header and its error, swapped in place.
    page.get_by_label("Add a tag").fill("not a tag!")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#fields [role=alert]")).to_contain_text("is not a tag")
    page.get_by_label("Add a tag").fill("export")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#fields .tag-list")).to_contain_text("export")
    screenshot(page, "desk-ticket")
    ticket = Ticket.objects.get(pk=tickets[3].pk)
    assert ticket.status.slug == "pending"
    assert Message.objects.filter(ticket=ticket, is_internal=True).count() == 1

    # Bulk: select two tickets with the keyboard and assign them to the lead.
    page.goto(f"{live_server.url}/desk/q/team/")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("[data-bulk-count]")).to_have_text("2 selected")
    page.locator("#bulk-assign").select_option(label="Lead")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Done (assign to) for 2")
    first_two = [t.pk for t in tickets[::-1] if t.pk != tickets[3].pk][:2]
    assert set(Ticket.objects.filter(assignee=world.lead).values_list("pk", flat=True)) == set(
        first_two
    )


def test_help_and_the_layout_on_a_phone(page: Page, live_server: Any, world: World) -> None:
    _queue(world)
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/desk/q/team/")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("tr[data-row]")).to_have_count(5)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    screenshot(page, "desk-queue-phone")
