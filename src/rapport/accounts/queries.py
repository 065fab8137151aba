"""Reading API tokens: which person a presented key belongs to, and your own tokens."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.db.models import QuerySet

from rapport.accounts.actions import PREFIX, SIGNUP_SALT, hash_key, record_use
from rapport.accounts.models import ApiToken
from rapport.core import clock
from rapport.core.fast.prepared import Prepared
from rapport.directory.models import Organisation, OrgKind, Person

SIGNUP_LINK_MAX_AGE = 3 * 24 * 3600  # seconds a sign-up link works


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


def signup_organisation(domain: str) -> Organisation | None:
    """The organisation people at `domain` may sign up to, if one allows it."""
    if not domain:
        return None
    return (
        Organisation.objects.filter(email_domain__iexact=domain.strip(), self_signup=True)
        .exclude(kind=OrgKind.OWN)
        .first()
    )


def signup_person(token: str) -> Person | None:
    """The unproven contact a sign-up link was mailed for, while the link is fresh and
    unused (a proven account has a password and is active: the link is dead)."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    person = Person.objects.filter(pk=data.get("p"), is_active=False).first()
    if person is None or person.has_usable_password():
        return None
    return person


def signup_organisations() -> QuerySet[Organisation]:
    """Organisations an admin may open to self-signup (everyone but us)."""
    return Organisation.objects.exclude(kind=OrgKind.OWN).order_by("name")


def signup_is_open() -> bool:
    return Organisation.objects.filter(self_signup=True).exclude(kind=OrgKind.OWN).exists()
