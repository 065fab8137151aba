"""One-click rating links: signed, expiring, usable without signing in.

The token names the survey only; the rating is in the path and checked against
the metric's scale, so tampering with the token is caught by its signature and
tampering with the value can only pick another valid answer, as the user could.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "rapport.surveys.link"


class LinkInvalid(Exception):
    pass


class LinkExpired(Exception):
    pass


def max_age_seconds() -> int:
    return int(getattr(settings, "RAPPORT_SURVEY_LINK_DAYS", 30)) * 86400


def token_for(survey_id: int) -> str:
    return signing.dumps(survey_id, salt=SALT, compress=False)


def survey_id_of(token: str) -> int:
    """The survey a token names; raises LinkExpired or LinkInvalid."""
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise LinkExpired("This link has expired.")
    except signing.BadSignature:
        raise LinkInvalid("This link is not valid.")
    if not isinstance(value, int):
        raise LinkInvalid("This link is not valid.")
    return value


def rating_url(survey_id: int, metric: str, value: int) -> str:
    path = reverse("surveys:rate", args=[token_for(survey_id), metric, value])
    return settings.RAPPORT_BASE_URL.rstrip("/") + path


def survey_url(survey_id: int) -> str:
    path = reverse("surveys:survey", args=[token_for(survey_id)])
    return settings.RAPPORT_BASE_URL.rstrip("/") + path
