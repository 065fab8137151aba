"""Shared fixtures for every test, and the guard that each database leg really ran."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from rapport.testing import World, build_world
from rapport.mail.testing import SmtpSink


@pytest.fixture(scope="session", autouse=True)
def _expected_database(django_db_setup: None, django_db_blocker: object) -> None:
    """`make test` sets RAPPORT_EXPECT_DB per leg; a leg on the wrong engine fails loudly."""
    from django.db import connection

    expected = os.environ.get("RAPPORT_EXPECT_DB")
    if expected and connection.vendor != expected:
        pytest.exit(
            f"This leg expects {expected} but runs on {connection.vendor}: check DATABASE_URL.",
            returncode=3,
        )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _media_root(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is deliberately slow; tests create dozens of people. The production
    # setting is asserted on its own in core/tests/test_auth.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sink(settings: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback that outbound mail goes to (pytest-django swaps
    in the in-memory backend; tests that ask for this use the real one)."""
    smtp = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = smtp.port  # type: ignore[attr-defined]
    try:
        yield smtp
    finally:
        smtp.stop()
