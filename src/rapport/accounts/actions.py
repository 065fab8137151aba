"""The only writers of API tokens: create, revoke, and note their use."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import transaction

from rapport.accounts.models import ApiToken
from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.models import Person

PREFIX = "rpt_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(actor: Person | None, person: Person, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `person`; the secret is returned once and never stored."""
    if actor is not None and actor.pk != person.pk and actor.staff_role != "admin":
        raise PermissionDenied("You can only create tokens for yourself.")
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name[:100],
        prefix=key[: len(PREFIX) + 6],
        key_hash=hash_key(key),
        created_at=clock.now(),
    )
    return token, key


@transaction.atomic
def revoke_token(actor: Person | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.person_id and actor.staff_role != "admin":
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def record_use(token_id: int, now: datetime) -> None:
    """When a token was last used. One statement, no transaction of its own: it runs on
    every API call that presents a token (throttled by the caller to once a minute)."""
    ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
