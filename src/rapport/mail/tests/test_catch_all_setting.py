"""The catch-all organisation of a mailbox (where unknown senders become contacts) is
set in the mail settings page and through the API, by admins only."""

from __future__ import annotations

from django.test import Client

from rapport.mail.models import InboundState, Mailbox, Outcome
from rapport.mail.testing import build, deliver
from rapport.testing import World


def test_an_admin_sets_the_catch_all_through_the_api(world: World, mailbox: Mailbox) -> None:
    stranger = build(sender="someone@unknown-domain.example")
    assert deliver(stranger, mailbox).state == InboundState.QUARANTINED
    api = world.client("admin")
    response = api.patch(
        f"/api/v1/mail/mailboxes/{mailbox.pk}",
        {"unknown_sender_organisation": world.customer.pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["unknown_sender_organisation"] == world.customer.pk
    later = deliver(build(sender="another@unknown-domain.example"), mailbox)
    assert later.outcome == Outcome.TICKET
    # Unset again: unknown senders are quarantined as before.
    response = api.patch(
        f"/api/v1/mail/mailboxes/{mailbox.pk}",
        {"unknown_sender_organisation": None},
        content_type="application/json",
    )
    assert response.json()["unknown_sender_organisation"] is None


def test_only_a_customer_organisation_can_be_the_catch_all(world: World, mailbox: Mailbox) -> None:
    api = world.client("admin")
    for org_id in (world.vendor.pk, 999_999):
        response = api.patch(
            f"/api/v1/mail/mailboxes/{mailbox.pk}",
            {"unknown_sender_organisation": org_id},
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
    mailbox.refresh_from_db()
    assert mailbox.unknown_sender_organisation is None


def test_an_admin_sets_the_catch_all_on_the_settings_page(world: World, mailbox: Mailbox) -> None:
    browser = Client()
    browser.force_login(world.admin)
    page = browser.get(f"/settings/mail/mailboxes/{mailbox.pk}")
    assert page.status_code == 200
    assert "Catch-all organisation" in page.content.decode()
    response = browser.post(
        f"/settings/mail/mailboxes/{mailbox.pk}",
        {"name": "Support", "unknown_sender_organisation": world.customer.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.unknown_sender_organisation_id == world.customer.pk
    listing = browser.get("/settings/mail/").content.decode()
    assert world.customer.name in listing
    assert "No spam filter is configured" in listing


def test_an_agent_may_look_but_not_change(world: World, mailbox: Mailbox) -> None:
    browser = Client()
    browser.force_login(world.agent)
    assert browser.get(f"/settings/mail/mailboxes/{mailbox.pk}").status_code == 200
    response = browser.post(
        f"/settings/mail/mailboxes/{mailbox.pk}",
        {"unknown_sender_organisation": world.customer.pk, "is_active": "on"},
    )
    assert response.status_code == 403
    browser.force_login(world.contact)
    assert browser.get("/settings/mail/").status_code == 403
