"""Policies at work in a real browser: an agent cites a procedure on a ticket and records
an exception; the exceptions open a change proposal; the manager accepts it, edits and
publishes the new version as a must-read; the agent reads it and passes the check."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.policies import actions
from rapport.policies.models import Document, Proposal, ReadTask
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})


def test_cite_except_propose_publish_and_read(page: Page, live_server: Any, world: World) -> None:
    base = live_server.url
    procedure = published_policy(
        world,
        kind="procedure",
        title="Refund steps",
        body="# Refund steps\n\n## Check\n\n1. Check the order.",
    )
    refunds = published_policy(world, exception_threshold=1)
    earlier = world.ticket("colleague", subject="Refund for a broken kettle")
    actions.record_exception(world.agent, earlier, refunds, why="Loyal customer",
                             instead="Refunded 60 EUR", within_autonomy=True)  # fmt: skip
    ticket = world.ticket("contact", subject="Refund for a late parcel")

    # The agent cites the procedure and records an exception from the ticket page.
    sign_in(page, base, "agent")
    page.goto(f"{base}/desk/t/{ticket.pk}/")
    panel = page.locator("#policies-panel")
    expect(panel.get_by_role("heading", name="Policies & articles")).to_be_visible()
    panel.get_by_text("Cite a document").click()
    panel.get_by_label("Document").select_option(label="Refund steps (procedure)")
    panel.get_by_label("Clause (optional)").fill("Check")
    panel.get_by_role("button", name="Cite", exact=True).last.click()
    expect(panel).to_contain_text("Cited: Refund steps")
    panel.get_by_text("Record an exception").click()
    panel.get_by_label("Policy", exact=True).select_option(label="Refunds (policy)")
    panel.get_by_label("Why").fill("Parcel was 10 days late")
    panel.get_by_label("What was done instead").fill("Refunded 70 EUR")
    panel.get_by_role("button", name="Record exception").click()
    expect(panel).to_contain_text("Exceptions: Refunds")
    both_widths(page, "policies-ticket-panel")
    assert ticket.citations.get().document == procedure
    proposal = Proposal.objects.get(document=refunds, automatic=True)
    assert proposal.exceptions.count() == 2

    # The manager sees the proposal the exceptions opened, accepts, edits and publishes.
    switch_to(page, base, "manager")
    page.goto(f"{base}/policies/d/{refunds.pk}/")
    proposals = page.get_by_role("region", name="Change proposals")
    expect(proposals).to_contain_text("from 2 exceptions")
    proposals.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", name="Edit Refunds")).to_be_visible()
    page.get_by_label("Text (Markdown)").fill(
        "# Refunds\n\n## Who may refund\n\nAn agent may refund up to 80 EUR without approval."
    )
    page.get_by_label("Change summary").fill("Cap raised to 80 EUR after repeated exceptions")
    page.get_by_role("button", name="Save draft").click()
    # The check is written on its page while the version is a draft.
    page.get_by_role("link", name="Check questions (0)").click()
    page.locator("#id_q1_text").fill("Up to how much may you refund alone?")
    page.locator("#id_q1_options").fill("50 EUR\n80 EUR")
    page.locator("#id_q1_correct").select_option("2")
    page.get_by_role("button", name="Save check").click()
    expect(page.locator(".flash")).to_contain_text("Check saved: 1 question.")
    page.get_by_role("button", name="Send v2 to review").click()
    version = Document.objects.get(pk=refunds.pk).versions.get(number=2)
    actions.record_review(world.lead, version, answer="yes", customer_view="Faster refunds",
                          employee_view="Fewer approvals", company_view="Small cost",
                          partner_view="None", autonomy="Refund up to 80 EUR")  # fmt: skip
    page.reload()
    page.get_by_role("button", name="Approve v2").click()
    page.get_by_label("Must read for its audience").check()
    page.get_by_role("button", name="Publish v2").click()
    expect(page.locator(".flash")).to_contain_text("Done")
    page.goto(f"{base}/policies/d/{refunds.pk}/?from=1&to=2")
    expect(page.locator(".redline ins").get_by_text("80", exact=True)).to_be_visible()
    expect(page.locator(".redline del").get_by_text("50", exact=True)).to_be_visible()
    both_widths(page, "policies-document")
    page.goto(f"{base}/policies/?q=refund")
    both_widths(page, "policies-library")

    # The agent's reading: the must-read task, acknowledged with the check.
    switch_to(page, base, "agent")
    page.get_by_role("link", name="My reading").first.click()
    expect(page.get_by_role("region", name="To read (1)")).to_contain_text("Refunds")
    both_widths(page, "policies-my-reading")
    page.get_by_role("link", name="Refunds").click()
    page.get_by_role("radio", name="80 EUR").check()
    page.get_by_role("button", name="I have read and understood it").click()
    expect(page.locator(".flash")).to_contain_text("Acknowledged")
    expect(page.get_by_role("region", name="To read (0)")).to_be_visible()
    assert ReadTask.objects.get(person=world.agent, version=version).acknowledged_at is not None


def test_portal_knowledge_base(page: Page, live_server: Any, world: World) -> None:
    base = live_server.url
    doc = actions.create_document(
        world.agent,
        kind="article",
        title="Reset your router",
        body="# Reset your router\n\nHold the button for 10 seconds.",
        owner=world.agent,
        team=world.support,
        client_audience="all",
    )
    actions.publish(world.agent, doc.versions.get())
    sign_in(page, base, "contact")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_label("Search articles").fill("router")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Reset your router").click()
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("1 found it helpful")).to_be_visible()
    both_widths(page, "policies-kb-article")
