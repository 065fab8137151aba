from __future__ import annotations

from collections.abc import Iterator

import pytest

from rapport.core.testing import World
from rapport.mail.models import Mailbox
from rapport.mail.testing import SmtpSink, support_mailbox


@pytest.fixture
def mailbox(world: World) -> Mailbox:
    return support_mailbox(world)


@pytest.fixture
def sink(settings: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    # pytest-django swaps in the in-memory backend; these tests use the real one.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = smtp.port  # type: ignore[attr-defined]
    try:
        yield smtp
    finally:
        smtp.stop()
