"""Issue 17's "done when": an admin sets up an organisation, a team, a person with a role
and an agreement entirely in the browser, and that person signs in and sees the right
things (the desk, their team's queue, no Settings)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.agreements.models import Agreement
from rapport.directory.models import Person
from rapport.testing import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_admin_sets_up_a_new_client_and_a_new_agent_in_the_ui(
    page: Page, live_server: Any, world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "admin")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    screenshot(page, "settings-home-1280")
    sections = page.get_by_role("navigation", name="Settings")

    sections.get_by_role("link", name="Organisations").click()
    page.get_by_label("Name", exact=True).fill("Umbra Health")
    page.get_by_label("Kind").select_option(label="Customer")
    page.get_by_label("E-mail domain").fill("umbra.example")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Umbra Health")).to_be_visible()

    sections.get_by_role("link", name="Teams").click()
    page.get_by_label("Name", exact=True).fill("Clinic support")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", name="Clinic support")).to_be_visible()

    sections.get_by_role("link", name="People").click()
    page.get_by_role("link", name="New person").first.click()
    page.get_by_label("Username").fill("quinn")
    page.get_by_label("Full name").fill("Quinn Agent")
    page.get_by_label("Email").fill("quinn@rapport.example")
    page.get_by_label("Staff role").select_option(label="Agent")
    page.locator("#id_team").select_option(label="Clinic support")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("E-mail an invitation to choose a password").uncheck()
    screenshot(page, "settings-person-new-1280")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Created Quinn Agent.")).to_be_visible()
    expect(page.get_by_role("link", name="Clinic support")).to_be_visible()
    screenshot(page, "settings-person-1280")

    sections.get_by_role("link", name="Agreements and calendars").click()
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Name", exact=True).fill("Umbra Health SLA")
    page.get_by_label("Kind").select_option(value="sla")
    page.get_by_label("Provider").select_option(label="Clinic support (Internal team)")
    page.get_by_label("Client", exact=True).select_option(label="Umbra Health (Customer)")
    page.get_by_label("Calendar").select_option(label=world.calendar.name)
    page.get_by_role("button", name="Create agreement").click()
    expect(page.get_by_text("Now set its targets and pauses.")).to_be_visible()
    page.locator("input[name=first_response_normal]").fill("60")
    page.get_by_role("button", name="Save").click()
    agreement = Agreement.objects.get(name="Umbra Health SLA")
    assert agreement.targets.filter(first_response_minutes=60).exists()
    quinn = Person.objects.get(username="quinn")
    assert quinn.staff_role == "agent"

    # Quinn signs in: the desk with its team's queue, scorecards of the team, no Settings.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "quinn")
    expect(page).to_have_url(f"{base}/desk/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Desk")).to_be_visible()
    expect(nav.get_by_role("link", name="Scorecards")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_have_count(0)
    screenshot(page, "new-agent-desk-1280")
    assert page.goto(f"{base}/settings/people/").status == 404  # type: ignore[union-attr]
