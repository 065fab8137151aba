from __future__ import annotations

from collections.abc import Iterator

import pytest

from rapport.core.testing import World
from rapport.mail.testing import SmtpSink
from rapport.surveys import actions


@pytest.fixture
def surveyed(world: World) -> World:
    """Globex's SLA asks all three questions, five minutes after the solve."""
    actions.configure(None, world.sla, csat=True, ces=True, nps=True, delay_minutes=5)
    return world


@pytest.fixture
def sink(settings: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = smtp.port  # type: ignore[attr-defined]
    try:
        yield smtp
    finally:
        smtp.stop()
