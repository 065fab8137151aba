"""Shared fixtures for every test, and the guard that each database leg really ran."""

from __future__ import annotations

import os

import pytest

from rapport.core.testing import World, build_world


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
