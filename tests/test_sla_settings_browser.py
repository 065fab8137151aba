"""An admin edits a business calendar and an agreement's targets in a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from rapport.agreements.models import AgreementTarget, Calendar
from rapport.testing import PASSWORD, build_world

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser(transactional_db: None) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM
    # calls are plain synchronous ones between browser steps, which Django allows so.
    # Function scope, set up after the database: Playwright is gone again before
    # the database is flushed, which must happen outside its context (Django's
    # connections are per context there, without the serialized rollback data).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield browser
            browser.close()
            # The test's queries ran on this context's own connection: close it, or
            # the test database cannot be dropped at the end of the run.
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# serialized_rollback: the flush after a transactional test would otherwise take the
# statuses the migrations created away from every test that runs after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_edits_a_calendar_and_an_agreement(page: Page, live_server: Any) -> None:
    world = build_world()
    page.goto(f"{live_server.url}/accounts/login/?next=/settings/sla/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Service levels")).to_be_visible()

    page.get_by_role("link", name="Berlin office").click()
    expect(page.get_by_text("60 business minutes from now end at")).to_be_visible()
    page.fill("#id_weekly_hours", "Mon-Fri 08:00-16:00")
    page.fill("#id_holiday_country", "XQ")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("No public holidays are known for XQ")
    assert Calendar.objects.get(pk=world.calendar.pk).weekly_hours[0]["start"] == "09:00"

    page.fill("#id_holiday_country", "DE")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#preview-title")).to_be_visible()
    expect(page.get_by_text("08:00–16:00").first).to_be_visible()
    assert Calendar.objects.get(pk=world.calendar.pk).weekly_hours[0]["start"] == "08:00"

    page.get_by_role("link", name="← Service levels").click()
    page.get_by_role("link", name="Globex support").click()
    expect(page.get_by_text("A ticket opened now under")).to_be_visible()
    page.fill("#id_first_response_urgent", "15")
    page.fill("#id_escalations", "100 notify assignee team_lead")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_first_response_urgent")).to_have_value("15")
    expect(page.locator("#id_escalations")).to_have_value("100 notify assignee team_lead")
    urgent = AgreementTarget.objects.get(agreement=world.sla, priority=4)
    assert urgent.first_response_minutes == 15
