"""Links in mail point at the port Rapport serves on when RAPPORT_BASE_URL is unset,
and outbound mail stays on the machine when EMAIL_HOST is unset."""

from __future__ import annotations

import os
import subprocess
import sys

PRINT = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.RAPPORT_BASE_URL, settings.EMAIL_BACKEND)"
)


def _settings(**env: str) -> list[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("PORT", "RAPPORT_BASE_URL", "EMAIL_HOST")
    }
    base["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    out = subprocess.run(
        [sys.executable, "-c", PRINT], env={**base, **env}, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return out.stdout.split()


def test_base_url_follows_port() -> None:
    assert _settings(PORT="9123")[0] == "http://127.0.0.1:9123/"
    assert _settings()[0] == "http://127.0.0.1:8000/"
    assert _settings(PORT="9123", RAPPORT_BASE_URL="https://help.example/")[0] == (
        "https://help.example/"
    )


def test_mail_stays_local_unless_email_host_is_set() -> None:
    assert _settings()[1] == "django.core.mail.backends.filebased.EmailBackend"
    assert _settings(EMAIL_HOST="smtp.example")[1] == "django.core.mail.backends.smtp.EmailBackend"
