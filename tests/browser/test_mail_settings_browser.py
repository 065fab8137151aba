"""The mail settings in a real browser: an admin sets a mailbox's catch-all
organisation, and an agent releases mail held as spam; screenshots at desktop and
phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot, sign_in

from rapport.mail.models import InboundMessage, InboundState
from rapport.mail.testing import build, deliver, support_mailbox
from rapport.testing import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_catch_all_and_spam_review(page: Page, live_server: Any, world: World) -> None:
    mailbox = support_mailbox(world)
    held = deliver(build(subject="You won a prize", headers={"X-Spam-Flag": "YES"}), mailbox)
    assert held.state == InboundState.SPAM
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/settings/mail/")
    expect(page.get_by_text("No spam filter is configured")).to_be_visible()
    page.get_by_role("link", name=mailbox.address).click()
    page.get_by_label("Catch-all organisation").select_option(label=world.customer.name)
    screenshot(page, "mail-mailbox-1280")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=world.customer.name)).to_be_visible()
    screenshot(page, "mail-settings-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "mail-settings-390")

    page.goto(f"{live_server.url}/settings/mail/spam")
    expect(page.get_by_role("cell", name="You won a prize")).to_be_visible()
    screenshot(page, "mail-spam-390")
    page.set_viewport_size({"width": 1280, "height": 860})
    screenshot(page, "mail-spam-1280")
    page.get_by_role("button", name="Not spam").click()
    expect(page.get_by_text("No mail is held as spam.")).to_be_visible()
    assert InboundMessage.objects.get(pk=held.pk).state == InboundState.PROCESSED
