"""An outcome review in a real browser: a low CSAT opens a review; the reviewer picks
*procedure*, links the procedure and closes; confirming the proposed action files the
change proposal, which appears in the procedure owner's queue. Screenshots of every
improvement page at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.core.choices import StatusCategory
from rapport.improvement.models import Review, Trigger
from rapport.policies.models import Proposal
from rapport.policies.tests.libworld import published_policy
from rapport.surveys import actions as survey_actions
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"improvement-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"improvement-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})


def test_low_csat_to_change_proposal(page: Page, live_server: Any, world: World) -> None:
    base = live_server.url
    procedure = published_policy(world, kind="procedure", title="Refund steps",
                                 body="# Refund steps\n\n1. Check the order.")  # fmt: skip
    survey_actions.configure(None, world.sla, csat=True, delay_minutes=0)
    ticket = world.ticket("contact", subject="Refund for a late parcel")
    ticket_actions.reply(world.agent, ticket, body="Refund is on its way.")
    ticket_actions.set_status(world.agent, ticket,
                              ticket_actions.default_status(StatusCategory.SOLVED))  # fmt: skip
    drain_reactions()
    survey = Survey.objects.get(ticket=ticket)
    survey_actions.answer(survey, actor=world.contact, ratings={"csat": 1},
                          comment="Three weeks and four e-mails for a refund.")  # fmt: skip
    drain_reactions()
    review = Review.objects.get()
    assert review.trigger == Trigger.CSAT

    sign_in(page, base, "manager")
    page.goto(f"{base}/improvement/")
    page.get_by_role("link", name=f"Review {review.pk}").click()
    expect(page.get_by_role("heading", name=f"Review {review.pk}: Low CSAT (1–2)")).to_be_visible()
    expect(page.get_by_text("Three weeks and four e-mails for a refund.")).to_be_visible()
    both_widths(page, "review")
    page.get_by_label("Cause", exact=True).select_option("procedure")
    page.get_by_label("Why 1").fill("The refund waited for a check nobody owned")
    page.get_by_label("Documents involved (policies and procedures)").select_option(
        label="Refund steps"
    )
    page.get_by_role("button", name="Close the review").click()
    expect(page.get_by_text("Review closed.")).to_be_visible()
    page.get_by_label("The proposed fix").fill("Name the owner of the check step")
    both_widths(page, "review-closed")
    page.get_by_role("button", name="Confirm action").click()
    expect(page.get_by_text("Action confirmed.")).to_be_visible()

    proposal = Proposal.objects.get()
    assert proposal.document == procedure
    assert proposal.proposed_fix == "Name the owner of the check step"
    assert "nobody owned" in proposal.why

    # The procedure's owner (the manager wrote it for Support) finds the proposal in the
    # queue of the owning team's new requests.
    assert proposal.ticket.provider_party_id == world.support.party.pk
    page.goto(f"{base}/desk/q/unassigned/")
    expect(page.get_by_text("Change proposal: Refund steps").first).to_be_visible()
    for name, path in (("home", "/improvement/?tab=closed"), ("problems", "/improvement/problems/"),
                       ("actions", "/improvement/actions/"), ("pareto", "/improvement/pareto/"),
                       ("settings", "/improvement/settings/")):  # fmt: skip
        page.goto(f"{base}{path}")
        both_widths(page, name)
    page.goto(f"{base}/improvement/pareto/")
    page.locator(".pareto-chart a").first.click()
    expect(page.get_by_role("heading", name="Reviews behind the bar")).to_be_visible()
    expect(page.get_by_text(f"#{ticket.pk}")).to_be_visible()
