"""Creating, checking and revoking API tokens (the token's writer functions)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from django.db import connection, transaction

from rapport.core import clock, rows
from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.models import ApiToken
from rapport.directory.models import Person

PREFIX = "rpt_"
_LAST_USED = ApiToken._meta.get_field("last_used_at")


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


@cache
def _token_sql(vendor: str) -> str:
    # Every API call asks this: a statement written once costs a fraction of the ORM
    # compiling the same joined SELECT each time (`key_hash` is unique). Whether the
    # use is to be recorded is worked out in the statement too.
    person = rows.columns(Person, "p")
    return (
        f"SELECT t.id, t.last_used_at IS NULL OR t.last_used_at < %s, {person} "  # noqa: S608 (column names from the model)
        "FROM core_apitoken t INNER JOIN directory_person p ON p.id = t.person_id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND p.is_active = %s"
    )


def person_for_key(key: str) -> Person | None:
    """The active person a presented key belongs to, or None."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    now = clock.now()
    # Record use at most once a minute: a write per API call would halve throughput.
    unrecorded_since = _LAST_USED.get_db_prep_value(now - timedelta(minutes=1), connection)
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(connection.vendor), [unrecorded_since, _hash(key), True])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, record = row[0], row[1]
    if record:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    person: Person = rows.load(Person, row[2:])
    return person
