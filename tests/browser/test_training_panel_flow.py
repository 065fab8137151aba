"""A hiring panel in a real browser: the manager adds a candidate and starts a role play
with two assessors; each scores alone, step by step; the panel view reveals both with
the agreement; the decision is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.people.models import Candidate, Decision
from rapport.people.tests.training_world import scenario
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


def score_alone(page: Page, base: str, who: str, level: str) -> None:
    switch_to(page, base, who)
    page.goto(f"{base}/people/")
    page.get_by_role("link", name="Missing parcel").click()
    expect(page.get_by_test_id("line")).to_contain_text("My parcel never came")
    page.get_by_role("link", name="Next line →").click()
    expect(page.get_by_test_id("line")).to_contain_text("So will you refund me or not?")
    if who == "lead":
        both_widths(page, "people-assessment-run")
    for fieldset in page.locator("fieldset.tr-dim").all():
        fieldset.locator("label", has_text=level).click()
    page.get_by_role("button", name="Submit final scores").click()


def test_a_two_assessor_panel_scores_blind_reveals_and_decides(
    page: Page, live_server: Any, world: World
) -> None:
    base = live_server.url
    scenario(world)
    sign_in(page, base, "manager")
    page.goto(f"{base}/people/candidates/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    page.get_by_label("Panel (two or more)").select_option(label=["Agent", "Lead"])
    page.get_by_role("button", name="Start the role play").click()
    expect(
        page.get_by_text("Scores stay hidden until every assessor has submitted")
    ).to_be_visible()

    score_alone(page, base, "lead", "4")
    # The lead has submitted; the agent has not: the lead sees no one else's scores.
    expect(page.locator("td .tr-hidden").first).to_be_visible()
    both_widths(page, "people-panel-blind")

    score_alone(page, base, "agent", "3")
    expect(page.get_by_test_id("agreement")).to_have_text("100 %")
    both_widths(page, "people-panel-revealed")
    page.get_by_label("Outcome").select_option(label="Hire")
    page.get_by_label("Reasons").fill("Calm, kind, and followed the refund procedure")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    both_widths(page, "people-candidate")
    candidate = Candidate.objects.get(full_name="Ada Lovelace")
    decision = Decision.objects.get(candidate=candidate)
    assert (decision.outcome, candidate.stage) == ("hire", "decided")

    page.goto(f"{base}/people/")
    both_widths(page, "people-my-training")
    page.goto(f"{base}/people/scenarios/")
    both_widths(page, "people-scenarios")
    switch_to(page, base, "lead")
    page.goto(f"{base}/people/training/board")
    both_widths(page, "people-training-board")
