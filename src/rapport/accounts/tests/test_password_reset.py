"""Anyone who forgot their password asks for a link by e-mail (Django's own views) and
chooses a new one; the mail goes through the outbox like every other."""

from __future__ import annotations

import re

from django.test import Client

from rapport.mail.models import OutboundMessage
from rapport.testing import PASSWORD, World

NEW = "a-Much-longer-passphrase-42"


def test_the_sign_in_page_links_to_the_reset(db: None) -> None:
    page = Client().get("/accounts/login/")
    assert 'href="/accounts/password_reset/"' in page.text
    assert "Forgot your password?" in page.text


def test_reset_by_mail_then_sign_in_with_the_new_password(world: World) -> None:
    browser = Client()
    answer = browser.post("/accounts/password_reset/", {"email": "Contact@Example.com"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password_reset/done/"
    mail = OutboundMessage.objects.get(to_address="contact@example.com", kind="password_reset")
    assert mail.subject == "Reset your Rapport password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body_text)
    assert link, mail.body_text
    form = browser.get(link.group(1), follow=True)
    assert "Choose a new password" in form.text
    done = browser.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert "Your password is set" in done.text
    assert not Client().login(username="contact", password=PASSWORD)
    assert Client().login(username="contact", password=NEW)
    # The link works once.
    again = Client().get(link.group(1), follow=True)
    assert "This link no longer works" in again.text


def test_an_unknown_address_looks_the_same_and_sends_nothing(world: World) -> None:
    answer = Client().post("/accounts/password_reset/", {"email": "nobody@nowhere.example"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password_reset/done/"
    assert not OutboundMessage.objects.filter(kind="password_reset").exists()


def test_a_malformed_address_is_a_field_error(db: None) -> None:
    page = Client().post("/accounts/password_reset/", {"email": "not an address"})
    assert page.status_code == 200
    assert 'aria-invalid="true"' in page.text
