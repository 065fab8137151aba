"""In a real browser: the bell counts unread notifications and leads to them; a
forgotten password is reset by the mailed link; the account, outbox and error pages
render in the shell at desktop and phone widths."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.mail.models import OutboundMessage, OutboundState
from rapport.notifications.actions import notify
from rapport.testing import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW = "a-Much-longer-passphrase-42"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def _both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, f"{name}-390")
    # Nothing spills beyond a phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def test_the_bell_leads_to_notifications(page: Page, live_server: Any, world: World) -> None:
    ticket = world.ticket("contact", subject="Printer on fire")
    notify([world.agent], "handoff", None, "Northwind asks: replace the toner.")
    notify([world.agent], "sla_warning", ticket, f"Ticket #{ticket.pk} is due in 30 minutes.")
    sign_in(page, live_server.url, "agent")
    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("2")
    _both_widths(page, "desk-with-bell")
    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    _both_widths(page, "notifications")
    page.get_by_role("button", name=re.compile("is due in 30 minutes")).click()
    expect(page).to_have_url(re.compile(rf"/desk/t/{ticket.pk}/$"))
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications, 1 unread").click()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("Marked 1 notification read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    page.get_by_role("link", name="Preferences").click()
    page.get_by_label("A ticket of yours is about to breach its target: by e-mail").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(
        page.get_by_label("A ticket of yours is about to breach its target: by e-mail")
    ).not_to_be_checked()
    _both_widths(page, "notification-preferences")


def test_reset_a_forgotten_password(page: Page, live_server: Any, world: World) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    _both_widths(page, "password-reset")
    page.get_by_label("E-mail address").fill("contact@example.com")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    mail = OutboundMessage.objects.get(to_address="contact@example.com", kind="password_reset")
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.body_text)
    assert link, mail.body_text
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password confirmation").fill(NEW)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("contact")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))


def test_admin_pages_in_the_shell(page: Page, live_server: Any, world: World) -> None:
    notify([world.admin], "sla_breach", None, "A ticket breached.")
    from django.db import transaction

    from rapport.mail import outbound

    with transaction.atomic():
        failed = outbound.queue_mail(to="contact@example.com", subject="Your request", text="Hi")
        outbound.queue_mail(
            to="lead@example.com", subject="How did we do?",
            text=f"Rate us: {live_server.url}/accounts/login/\n", kind="survey",
        )  # fmt: skip
    OutboundMessage.objects.filter(pk=failed.pk).update(
        state=OutboundState.FAILED, reason="ConnectionRefusedError: [Errno 111] Connection refused"
    )
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("Show times in").select_option("Europe/Paris")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator("[data-zone]")).to_have_text("Europe/Paris")
    _both_widths(page, "account")
    page.get_by_role("link", name="Outbound mail").click()
    expect(page.get_by_text("Connection refused")).to_be_visible()
    _both_widths(page, "outbox")
    page.get_by_role("link", name="How did we do?").click()
    page.locator(".mail-text a").first.click()
    expect(page).not_to_have_url(re.compile("/settings/outbox/"))
    page.goto(f"{live_server.url}/settings/signup/")
    expect(page.get_by_role("heading", name="Portal sign-up")).to_be_visible()
    _both_widths(page, "signup-settings")
    page.goto(f"{live_server.url}/desk/no-such-page/")
    expect(page.get_by_role("heading", name="There is nothing here")).to_be_visible()
    _both_widths(page, "not-found")
