"""Forms shared by the web pages: sign-in with throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from rapport.core import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match.",
        "throttled": "Too many failed sign-ins. Try again in %(minutes)s minutes.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        if self.request is not None and throttle.is_locked(self.request, username):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.request is not None:
                throttle.record_failure(self.request, username)
            raise
        if self.request is not None:
            throttle.clear(self.request, username)
        return cleaned
