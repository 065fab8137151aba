"""The only writers of accounts: staff accounts in one step, API tokens (create,
revoke, note their use)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from rapport.accounts.models import ApiToken
from rapport.core import clock
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.directory import actions as directory
from rapport.directory.models import Person, StaffRole, Team
from rapport.directory.queries import own_organisation

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


@transaction.atomic
def create_staff(
    actor: Person | None,
    *,
    username: str,
    role: str,
    teams: Sequence[str] = (),
    email: str = "",
    full_name: str = "",
    password: str | None = None,
) -> tuple[Person, list[Team]]:
    """A staff account in one step: the person with their staff role, an employee of our
    own organisation (when it exists), and an agent of each named team. All or nothing."""
    if role not in (StaffRole.ADMIN, StaffRole.MANAGER, StaffRole.AGENT):
        raise Invalid("The role is admin, manager or agent.", field="role")
    found = []
    for name in teams:
        team = Team.objects.filter(name__iexact=name.strip()).first()
        if team is None:
            known = ", ".join(Team.objects.order_by("name").values_list("name", flat=True))
            raise Invalid(f"There is no team {name!r} (teams: {known or 'none'}).", field="team")
        found.append(team)
    person = directory.create_person(
        actor, username=username, email=email, full_name=full_name, staff_role=role,
        password=password,
    )  # fmt: skip
    own = own_organisation()
    if own is not None:
        directory.add_org_member(actor, own, person)
    for team in found:
        directory.add_team_member(actor, team, person)
    return person, found
