"""Sessions (Django's database engine, or cached_db over a shared cache) keep people signed in."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from rapport.testing import PASSWORD, World


def _signed_in() -> Client:
    browser = Client()
    answer = browser.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert answer.status_code == 302
    return browser


def test_a_session_keeps_its_person_signed_in(world: World) -> None:
    browser = _signed_in()
    assert browser.get("/desk/").status_code == 200
    assert browser.get("/desk/").status_code == 200  # read again, not only after login


def test_an_expired_session_signs_out(world: World) -> None:
    browser = _signed_in()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = browser.get("/desk/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_a_deleted_or_forged_session_signs_out(world: World) -> None:
    browser = _signed_in()
    Session.objects.all().delete()
    assert browser.get("/desk/").status_code == 302
    forged = Client()
    forged.cookies["sessionid"] = "x" * 32
    assert forged.get("/desk/").status_code == 302


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(world: World) -> None:
    browser = _signed_in()
    copy = Client()
    copy.cookies["sessionid"] = browser.cookies["sessionid"].value
    assert copy.get("/desk/").status_code == 200
    browser.post("/accounts/logout/")
    assert copy.get("/desk/").status_code == 302
