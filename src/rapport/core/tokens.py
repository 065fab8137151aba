"""Creating, checking and revoking API tokens (the token's writer functions)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet

from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.fast.prepared import Prepared
from rapport.core.models import ApiToken
from rapport.directory.models import Person

PREFIX = "rpt_"


def _hash(key: str) -> str:
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
        key_hash=_hash(key),
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


@Prepared
def _token(_: None, *, key_hash: str) -> QuerySet[ApiToken]:
    """Every API call asks this: prepared once per connection (`core.prepared`)
    rather than compiled on each call; `key_hash` is unique."""
    return ApiToken.objects.select_related("person").filter(
        key_hash=key_hash, revoked_at__isnull=True, person__is_active=True
    )


def person_for_key(key: str) -> Person | None:
    """The active person a presented key belongs to, or None."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    found = _token(None, key_hash=_hash(key))
    if not found:
        return None
    token: ApiToken = found[0]
    now = clock.now()
    # Record use at most once a minute: a write per API call would halve throughput.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
