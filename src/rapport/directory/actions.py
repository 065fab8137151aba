"""The only writers of the directory. `actor=None` means the system itself (CLI, demo)."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import (
    Organisation,
    OrgKind,
    OrgMembership,
    Party,
    PartyKind,
    Person,
    StaffRole,
    Team,
    TeamMembership,
    TeamRole,
)
from rapport.directory.queries import forget_scope, own_organisation, scope_for


def require_admin(actor: Person | None) -> None:
    if actor is not None and not scope_for(actor).is_admin:
        raise PermissionDenied("Only an admin can change the directory.")


@transaction.atomic
def create_organisation(
    actor: Person | None, *, name: str, kind: str, email_domain: str = "", notes: str = ""
) -> Organisation:
    require_admin(actor)
    name = name.strip()
    if not name:
        raise Invalid("An organisation needs a name.", field="name")
    if kind not in OrgKind.values:
        raise Invalid(f"Unknown kind {kind!r}.", field="kind")
    if kind == OrgKind.OWN and Organisation.objects.filter(kind=OrgKind.OWN).exists():
        raise Conflict("Our own organisation exists already.", field="kind")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise Conflict(f"An organisation called {name!r} exists already.", field="name")
    party = Party.objects.create(kind=PartyKind(kind), name=name)
    return Organisation.objects.create(
        name=name,
        kind=kind,
        email_domain=email_domain.strip().lower(),
        notes=notes,
        party=party,
        created_at=clock.now(),
    )


@transaction.atomic
def update_organisation(
    actor: Person | None,
    organisation: Organisation,
    *,
    name: str | None = None,
    email_domain: str | None = None,
    notes: str | None = None,
    self_signup: bool | None = None,
) -> Organisation:
    require_admin(actor)
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid("An organisation needs a name.", field="name")
        clash = Organisation.objects.filter(name__iexact=name).exclude(pk=organisation.pk)
        if clash.exists():
            raise Conflict(f"An organisation called {name!r} exists already.", field="name")
        organisation.name = name
        Party.objects.filter(pk=organisation.party_id).update(name=name)
    if email_domain is not None:
        organisation.email_domain = email_domain.strip().lower()
    if notes is not None:
        organisation.notes = notes
    if self_signup is not None:
        if self_signup and organisation.kind == OrgKind.OWN:
            raise Invalid("Staff are added by an admin, not by signing up.", field="self_signup")
        if self_signup and not organisation.email_domain:
            raise Invalid("Give the organisation an e-mail domain first.", field="self_signup")
        organisation.self_signup = self_signup
    organisation.save()
    return organisation


@transaction.atomic
def create_team(actor: Person | None, *, name: str, email: str = "") -> Team:
    require_admin(actor)
    own = own_organisation()
    if own is None:
        raise Invalid("Create our own organisation before its teams.")
    name = name.strip()
    if not name:
        raise Invalid("A team needs a name.", field="name")
    if Team.objects.filter(name__iexact=name).exists():
        raise Conflict(f"A team called {name!r} exists already.", field="name")
    party = Party.objects.create(kind=PartyKind.TEAM, name=name)
    return Team.objects.create(
        organisation=own, name=name, email=email, party=party, created_at=clock.now()
    )


@transaction.atomic
def update_team(
    actor: Person | None, team: Team, *, name: str | None = None, email: str | None = None
) -> Team:
    require_admin(actor)
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid("A team needs a name.", field="name")
        if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
            raise Conflict(f"A team called {name!r} exists already.", field="name")
        team.name = name
        Party.objects.filter(pk=team.party_id).update(name=name)
    if email is not None:
        team.email = email
    team.save()
    return team


@transaction.atomic
def create_person(
    actor: Person | None,
    *,
    username: str,
    email: str = "",
    full_name: str = "",
    staff_role: str = "",
    password: str | None = None,
    password_hash: str | None = None,
) -> Person:
    """A new person. `password_hash` takes an already-hashed password instead (accounts
    imported from another system, or many demo accounts sharing one hash)."""
    require_admin(actor)
    username = username.strip()
    email = email.strip()
    if not username:
        raise Invalid("A person needs a username.", field="username")
    if staff_role not in StaffRole.values:
        raise Invalid(f"Unknown staff role {staff_role!r}.", field="staff_role")
    if Person.objects.filter(username=username).exists():
        raise Conflict(f"The username {username!r} is taken.", field="username")
    if email and Person.objects.filter(email__iexact=email).exists():
        raise Conflict(f"Someone already has the address {email}.", field="email")
    person = Person(
        username=username,
        email=email,
        full_name=full_name.strip(),
        staff_role=staff_role,
        is_staff=staff_role == StaffRole.ADMIN,
        is_superuser=staff_role == StaffRole.ADMIN,
    )
    if password_hash is not None:
        if password is not None:
            raise Invalid("Give a password or a password hash, not both.", field="password")
        try:
            identify_hasher(password_hash)
        except ValueError:
            raise Invalid("The password hash is in no format we know.", field="password_hash")
        person.password = password_hash
    else:
        _set_password(person, password)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise Conflict("That username or address is taken.", field="username")
    return person


def _set_password(person: Person, password: str | None) -> None:
    if password is None:
        person.set_unusable_password()
        return
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password")
    person.set_password(password)


@transaction.atomic
def update_person(
    actor: Person | None,
    person: Person,
    *,
    full_name: str | None = None,
    email: str | None = None,
    staff_role: str | None = None,
    is_active: bool | None = None,
    password: str | None = None,
    time_zone: str | None = None,
) -> Person:
    is_self = actor is not None and actor.pk == person.pk
    if not is_self:
        require_admin(actor)
    elif staff_role is not None or is_active is not None:
        require_admin(actor)  # nobody promotes or deactivates themselves
    if full_name is not None:
        person.full_name = full_name.strip()
    if email is not None:
        email = email.strip()
        if email and Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
            raise Conflict(f"Someone already has the address {email}.", field="email")
        person.email = email
    if staff_role is not None:
        if staff_role not in StaffRole.values:
            raise Invalid(f"Unknown staff role {staff_role!r}.", field="staff_role")
        person.staff_role = staff_role
        person.is_staff = person.is_superuser = staff_role == StaffRole.ADMIN
    if is_active is not None:
        person.is_active = is_active
    if password is not None:
        _set_password(person, password)
    if time_zone is not None:
        time_zone = time_zone.strip()
        if time_zone and time_zone not in zoneinfo.available_timezones():
            raise Invalid(f"There is no time zone {time_zone!r}.", field="time_zone")
        person.time_zone = time_zone
    person.save()
    forget_scope(person)
    return person


@transaction.atomic
def add_team_member(
    actor: Person | None, team: Team, person: Person, *, role: str = TeamRole.AGENT
) -> TeamMembership:
    require_admin(actor)
    if role not in TeamRole.values:
        raise Invalid(f"Unknown team role {role!r}.", field="role")
    if not person.staff_role:
        raise Invalid("Only staff can be members of a team.", field="person")
    membership, _ = TeamMembership.objects.update_or_create(
        team=team, person=person, defaults={"role": role}
    )
    forget_scope(person)
    return membership


@transaction.atomic
def remove_team_member(actor: Person | None, team: Team, person: Person) -> None:
    require_admin(actor)
    TeamMembership.objects.filter(team=team, person=person).delete()
    forget_scope(person)


@transaction.atomic
def add_org_member(
    actor: Person | None, organisation: Organisation, person: Person, *, is_admin: bool = False
) -> OrgMembership:
    require_admin(actor)
    membership, _ = OrgMembership.objects.update_or_create(
        organisation=organisation, person=person, defaults={"is_admin": is_admin}
    )
    forget_scope(person)
    return membership


@transaction.atomic
def remove_org_member(actor: Person | None, organisation: Organisation, person: Person) -> None:
    require_admin(actor)
    OrgMembership.objects.filter(organisation=organisation, person=person).delete()
    forget_scope(person)
