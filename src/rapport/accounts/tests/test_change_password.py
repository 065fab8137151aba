"""A signed-in person changes their password on the account page and stays signed in."""

from __future__ import annotations

from django.test import Client

from rapport.testing import PASSWORD, World

NEW = "a-Much-longer-passphrase-42"


def _signed_in(world: World) -> Client:
    browser = Client()
    assert browser.login(username="agent", password=PASSWORD)
    return browser


def test_change_password_and_stay_signed_in(world: World) -> None:
    browser = _signed_in(world)
    assert "Change password" in browser.get("/account/").text
    answer = browser.post(
        "/account/password",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Your password is changed." in answer.text
    assert browser.get("/desk/").status_code == 200  # still signed in
    assert Client().login(username="agent", password=NEW)


def test_a_wrong_old_password_or_a_weak_new_one_are_field_errors(world: World) -> None:
    browser = _signed_in(world)
    wrong = browser.post(
        "/account/password", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert wrong.status_code == 422 and "old password was entered incorrectly" in wrong.text
    weak = browser.post(
        "/account/password",
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert weak.status_code == 422 and "too common" in weak.text
    assert Client().login(username="agent", password=PASSWORD)
