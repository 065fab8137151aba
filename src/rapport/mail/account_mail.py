"""Account mail (a password reset link) through the outbox like every other mail, so
it is recorded, retried, rate-limited per recipient and readable on the outbox page
when mail stays on the machine. Django's reset form would send it directly."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string

from rapport.mail.outbound import queue_mail


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        with transaction.atomic():
            queue_mail(to=to_email, subject=subject, text=body, kind="password_reset")
