"""Reading API tokens: which person a presented key belongs to, and your own tokens."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet

from rapport.accounts.actions import PREFIX, hash_key, record_use
from rapport.accounts.models import ApiToken
from rapport.core import clock
from rapport.core.prepared import Prepared
from rapport.directory.models import Person


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
    found = _token(None, key_hash=hash_key(key))
    if not found:
        return None
    token: ApiToken = found[0]
    now = clock.now()
    # Record use at most once a minute: a write per API call would halve throughput.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        record_use(token.pk, now)
    return token.person


def tokens_of(person: Person, *, active_only: bool = False) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first (nobody lists another's)."""
    qs = ApiToken.objects.filter(person=person)
    return qs.filter(revoked_at__isnull=True) if active_only else qs


def own_token(person: Person, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=token_id, person=person).first()
