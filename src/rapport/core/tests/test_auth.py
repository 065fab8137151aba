from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

from rapport import settings as project_settings
from rapport.testing import PASSWORD, World


def test_passwords_are_hashed_with_argon2id_at_owasp_cost(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("Correct-horse-42")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Correct-horse-42", encoded)


def test_sign_in_shows_the_landing_page_and_makes_a_token(world: World) -> None:
    browser = Client()
    assert browser.get("/").status_code == 302
    signed_in = browser.post(
        "/accounts/login/", {"username": "agent", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == "/desk/"  # staff land in the desk
    assert b"Welcome, Agent" in browser.get("/account/").content

    page = browser.post("/tokens/new", {"name": "laptop"}, follow=True).content.decode()
    key = re.search(r"rpt_[\w-]+", page)
    assert key is not None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key.group(0)}").get("/api/v1/me")
    assert api.json()["username"] == "agent"
    assert key.group(0) not in browser.get("/account/").content.decode()  # shown once


def test_wrong_password_is_refused(world: World) -> None:
    page = Client().post("/accounts/login/", {"username": "agent", "password": "nope"})
    assert page.status_code == 200
    assert b"do not match" in page.content


def test_api_session_writes_need_csrf(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="agent", password=PASSWORD)
    assert browser.get("/api/v1/me").status_code == 200
    refused = browser.post("/api/v1/tokens", '{"name": "x"}', content_type="application/json")
    assert refused.status_code == 403
