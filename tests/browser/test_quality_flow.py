"""Quality reviews in a real browser: a lead reviews a vendor's reply on a hand-off and
fails a critical category, and the vendor's quality score for the week drops; the agent
disputes another review and the lead, as arbitrator, changes it. Screenshots of every
quality, kudos and pulse page at 1280 and 390 px."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.core import clock
from rapport.people.actions import pulse, quality, recognition
from rapport.people.models import Review
from rapport.people.tests.qaworld import ratings, rubric, support_conversation, vendor_conversation
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


def test_critical_fail_on_a_vendor_then_a_dispute_changed(
    page: Page, live_server: Any, world: World
) -> None:
    base = live_server.url
    r = rubric(world)
    earlier = vendor_conversation(world)
    quality.submit_review(world.lead, earlier, r, ratings(r))
    handed = vendor_conversation(world)
    agents = support_conversation(world)
    disputed = quality.submit_review(world.manager, agents, r, ratings(r, solution=1),
                                     coaching_note="Offer the workaround first.")  # fmt: skip
    # Pages to look at: a calibration session, kudos, a pulse round.
    session = quality.create_calibration(
        world.manager, name="March", rubric=r, tickets=[agents], reviewers=[world.lead, world.admin]
    )
    quality.submit_review(world.admin, agents, r, ratings(r), session=session)
    recognition.give_kudos(world.other_agent, from_team=world.it, to_team=world.support,
                           message="Thanks for the clear hand-offs")  # fmt: skip
    pulse.open_round(pulse.set_up_pulse(None, world.support),
                     at=clock.now() - timedelta(hours=1))  # fmt: skip

    sign_in(page, base, "lead")
    page.goto(f"{base}/people/quality/")
    vendor_row = page.locator("tr[data-provider='PrintCo'] [data-score]")
    expect(vendor_row).to_have_text("100.0")
    both_widths(page, "quality-queue")

    page.goto(f"{base}/people/quality/t/{handed.pk}/")
    expect(page.get_by_text("credited to Vendor User")).to_be_visible()
    both_widths(page, "quality-review-conversation")
    form = page.locator("form", has=page.get_by_role("button", name="Submit review"))
    for legend, value in (
        ("Greeting", "1"),
        ("Solution", "5"),
        ("Tone", "3"),
        ("GDPR", "0"),
        ("Extra mile", "na"),
    ):
        form.locator("fieldset", has_text=legend).locator(f"input[value='{value}']").check()
    form.get_by_role("button", name="Submit review").click()
    expect(page.locator("[data-score]")).to_have_text("0.0 %")
    expect(page.get_by_text("A critical category failed")).to_be_visible()
    both_widths(page, "quality-review")

    page.goto(f"{base}/people/quality/")
    expect(vendor_row).to_have_text("50.0")

    switch_to(page, base, "agent")
    page.goto(f"{base}/people/quality/r/{disputed.pk}/")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Category").select_option(label="Solution")
    page.get_by_label("Why you disagree").fill("The customer asked for exactly that.")
    page.get_by_role("button", name="Dispute").click()
    expect(page.locator("[data-dispute-status]")).to_have_text("Open")

    switch_to(page, base, "lead")
    page.goto(f"{base}/people/quality/r/{disputed.pk}/")
    page.get_by_label("Solution").select_option("5")
    page.get_by_label("Decision note").fill("Fair point")
    page.get_by_role("button", name="Change ratings").click()
    expect(page.locator("[data-dispute-status]")).to_have_text("Changed")
    expect(page.locator("[data-score]")).to_have_text("100.0 %")
    assert Review.objects.get(pk=disputed.pk).score == 100.0
    both_widths(page, "quality-review-disputed")

    page.goto(f"{base}/people/quality/disputes/")
    both_widths(page, "quality-disputes")
    page.goto(f"{base}/people/quality/calibrations/{session.pk}/")
    both_widths(page, "quality-calibration")
    page.goto(f"{base}/people/kudos/")
    both_widths(page, "kudos-wall")
    page.goto(f"{base}/people/pulse/")
    both_widths(page, "pulse")
