"""A mail the SMTP server refuses is recorded with its reason and retried; the worker's
console gets one line per try, not a traceback per mail."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from huey.exceptions import RetryTask

from rapport.mail import outbound
from rapport.mail.models import OutboundMessage, OutboundState
from rapport.mail.tasks import send_outbound
from rapport.testing import World


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_refused_mail_says_why_in_one_line(
    world: World, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with transaction.atomic():
        mail = outbound.queue_mail(to="contact@example.com", subject="Hello", text="Hi")
    with caplog.at_level(logging.WARNING), pytest.raises(RetryTask):
        send_outbound.call_local(mail.pk)
    mail.refresh_from_db()
    assert mail.state == OutboundState.QUEUED
    assert "Connection refused" in mail.reason
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert "Connection refused" in warnings[0].getMessage()


def test_after_the_last_try_it_is_failed_and_not_retried(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with transaction.atomic():
        mail = outbound.queue_mail(to="contact@example.com", subject="Hello", text="Hi")
    OutboundMessage.objects.filter(pk=mail.pk).update(attempts=outbound.MAX_ATTEMPTS - 1)
    send_outbound.call_local(mail.pk)  # no RetryTask: nothing more to try
    mail.refresh_from_db()
    assert mail.state == OutboundState.FAILED
    assert "Connection refused" in mail.reason
