"""Account mail (a password reset link) through the outbox like every other mail, so
it is recorded, retried, rate-limited per recipient and readable on the outbox page
when mail stays on the machine. Django's reset form would send it directly."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rapport.directory.models import Person
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


def send_invitation(person: Person, base_url: str) -> None:
    """An admin added `person`: a link to choose their password (the reset link, which
    Django's reset form would not send to an account that never had a password)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"person": person, "link": link}
    subject = " ".join(render_to_string("accounts/invitation_subject.txt", context).split())
    body = render_to_string("accounts/invitation_email.txt", context)
    queue_mail(to=person.email, subject=subject, text=body, kind="password_reset")
