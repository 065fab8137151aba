"""Sign-in is refused for a while after repeated failures, even with the right password."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from rapport.testing import PASSWORD, World


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def _sign_in(username: str, password: str, address: str = "10.0.0.1") -> str:
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}, follow=True
    )
    return response.content.decode()


def test_five_failures_lock_the_username(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        assert "do not match" in _sign_in("agent", "wrong")
    locked = _sign_in("agent", PASSWORD)
    assert "Too many failed sign-ins. Try again in 15 minutes." in locked
    # From another address too: the username is what is guessed at.
    assert "Too many failed sign-ins" in _sign_in("agent", PASSWORD, "10.0.0.2")
    # Other people are not locked out by it.
    assert "My open tickets" in _sign_in("lead", PASSWORD, "10.0.0.3")


def test_one_address_guessing_many_names_is_locked(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    for i in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        _sign_in(f"nobody{i}", "wrong")
    assert "Too many failed sign-ins" in _sign_in("agent", PASSWORD)
    assert "My open tickets" in _sign_in("agent", PASSWORD, "10.0.0.9")


def test_success_clears_the_count(world: World) -> None:
    for _ in range(4):
        _sign_in("agent", "wrong")
    assert "My open tickets" in _sign_in("agent", PASSWORD)
    for _ in range(4):
        _sign_in("agent", "wrong")
    assert "My open tickets" in _sign_in("agent", PASSWORD)


def test_blank_or_odd_input_is_explained(world: World) -> None:
    for username, password in (("", ""), ("agent", ""), ("a\x00b", "x"), ("x" * 5000, "y")):
        page = _sign_in(username, password)
        assert 'class="error" role="alert"' in page, username[:10]
