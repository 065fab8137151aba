"""Reads of the directory, and the scope of what a person may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, CharField, Q, QuerySet, Value

from rapport.core.fast import reference
from rapport.core.fast.prepared import Prepared
from rapport.core.fast.reference import Snapshot
from rapport.directory.models import (
    Organisation,
    OrgKind,
    OrgMembership,
    Party,
    PartyKind,
    Person,
    Team,
    TeamMembership,
    TeamRole,
)


@dataclass(frozen=True)
class Scope:
    """Everything permission checks need to know about one person, read once."""

    person_id: int | None
    staff_role: str
    team_party_ids: frozenset[int] = frozenset()
    lead_team_party_ids: frozenset[int] = frozenset()
    # Vendor/contractor organisations the person works for: they act as provider.
    provider_org_party_ids: frozenset[int] = frozenset()
    # Organisations whose every request the person may follow (org admins).
    admin_org_party_ids: frozenset[int] = frozenset()
    # Every party the person can raise a request for (their orgs and teams).
    client_party_ids: frozenset[int] = frozenset()
    own_org_party_id: int | None = None
    # The customer, contractor and vendor organisations the person belongs to, in the
    # order a request is raised for them by default (customers first, then by joining).
    external_org_party_ids: tuple[int, ...] = ()

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_role)

    @property
    def sees_everything(self) -> bool:
        return self.staff_role in ("admin", "manager")

    @property
    def is_admin(self) -> bool:
        return self.staff_role == "admin"

    @property
    def is_employee(self) -> bool:
        return self.own_org_party_id is not None or self.is_staff

    def serves(self, provider_party_id: int | None) -> bool:
        """True when the person works for the provider of a ticket."""
        if provider_party_id is None:
            return False
        if self.sees_everything:
            return True
        return provider_party_id in self.team_party_ids or (
            provider_party_id in self.provider_org_party_ids
        )


ANONYMOUS = Scope(person_id=None, staff_role="")

# The organisations a person asks on behalf of, most preferred first.
EXTERNAL_ORDER = {OrgKind.CUSTOMER: 0, OrgKind.CONTRACTOR: 1, OrgKind.VENDOR: 2}


def scope_for(person: Person | None) -> Scope:
    """The person's scope, cached on the object for the rest of the request."""
    if person is None or not person.is_authenticated or not person.is_active:
        return ANONYMOUS
    cached = getattr(person, "_rapport_scope", None)
    if cached is not None:
        return cached
    rows = _memberships(None, person=person.pk)
    teams = [(pid, role) for what, pid, role, _, _ in rows if what == "team"]
    orgs = [(pid, kind, is_admin, key) for what, pid, kind, is_admin, key in rows
            if what == "org"]  # fmt: skip
    own = [pid for pid, kind, _, _ in orgs if kind == OrgKind.OWN]
    external = sorted((EXTERNAL_ORDER[kind], key, pid) for pid, kind, _, key in orgs
                      if kind in EXTERNAL_ORDER)  # fmt: skip
    team_party_ids = frozenset(pid for pid, _ in teams)
    scope = Scope(
        person_id=person.pk,
        staff_role=person.staff_role,
        team_party_ids=team_party_ids if person.staff_role else frozenset(),
        lead_team_party_ids=frozenset(pid for pid, role in teams if role == TeamRole.LEAD),
        provider_org_party_ids=frozenset(
            pid for pid, kind, _, _ in orgs if kind in (OrgKind.VENDOR, OrgKind.CONTRACTOR)
        ),
        admin_org_party_ids=frozenset(pid for pid, _, is_admin, _ in orgs if is_admin),
        client_party_ids=frozenset(pid for pid, _, _, _ in orgs) | team_party_ids,
        own_org_party_id=own[0] if own else None,
        external_org_party_ids=tuple(pid for _, _, pid in external),
    )
    person._rapport_scope = scope  # type: ignore[attr-defined]
    return scope


@Prepared
def _memberships(_: None, *, person: int) -> QuerySet[Any]:
    """Teams and organisations in one round trip, prepared once: every page, API
    request and mail message needs a scope. Rows: what, party, team role or
    organisation kind, organisation admin, membership."""
    team_rows = TeamMembership.objects.filter(person_id=person).values_list(
        Value("team", output_field=CharField()), "team__party_id", "role",
        Value(False, output_field=BooleanField()), "id",
    )  # fmt: skip
    org_rows = OrgMembership.objects.filter(person_id=person).values_list(
        Value("org", output_field=CharField()), "organisation__party_id", "organisation__kind",
        "is_admin", "id",
    )  # fmt: skip
    return team_rows.union(org_rows, all=True)


def party(pk: int, ref: Snapshot | None = None) -> Party | None:
    """A party from the reference data of this request or task (shared: never modify it)."""
    return (ref or reference.current()).get(
        ("party", pk), lambda: Party.objects.filter(pk=pk).first()
    )


def forget_scope(person: Person) -> None:
    if hasattr(person, "_rapport_scope"):
        del person._rapport_scope


def own_organisation() -> Organisation | None:
    return Organisation.objects.filter(kind=OrgKind.OWN).select_related("party").first()


# Who serves whom is written in agreements, a layer above the directory. The agreements
# app registers the subquery (`AgreementsConfig.ready`), so outside contacts see the teams
# and parties that serve them without the directory importing agreements.
ServingProviders = Callable[[frozenset[int]], "QuerySet[Any]"]
_serving_providers: list[ServingProviders] = []


def register_serving_providers(subquery: ServingProviders) -> None:
    """`subquery(client_party_ids)`: a values() queryset of the parties serving them."""
    _serving_providers[:] = [subquery]


def _serving(client_party_ids: frozenset[int]) -> QuerySet[Any]:
    if not _serving_providers:
        return Party.objects.none().values("pk")  # no agreements installed: nobody serves
    return _serving_providers[0](client_party_ids)


def visible_organisations(scope: Scope) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("party").order_by("name", "id")
    if scope.is_staff:
        return qs
    return qs.filter(party_id__in=scope.client_party_ids | scope.provider_org_party_ids)


def visible_teams(scope: Scope) -> QuerySet[Team]:
    """Staff and employees see every team (any employee may ask any team);
    outside contacts see the teams that serve them under an agreement."""
    qs = Team.objects.select_related("party").order_by("name", "id")
    if scope.is_employee:
        return qs
    return qs.filter(party_id__in=_serving(scope.client_party_ids))


def visible_people(scope: Scope) -> QuerySet[Person]:
    qs = Person.objects.order_by("full_name", "username", "id")
    if scope.is_staff:
        return qs
    if scope.person_id is None:
        return qs.none()
    visible = Q(pk=scope.person_id)
    if scope.admin_org_party_ids:
        visible |= Q(org_memberships__organisation__party_id__in=scope.admin_org_party_ids)
    return qs.filter(visible).distinct()


def visible_parties(scope: Scope) -> QuerySet[Party]:
    qs = Party.objects.order_by("name", "id")
    if scope.is_staff:
        return qs
    return qs.filter(
        Q(pk__in=scope.client_party_ids | scope.provider_org_party_ids)
        | Q(pk__in=visible_teams(scope).values("party_id"))
        | Q(pk__in=_serving(scope.client_party_ids))
    )


def provider_parties() -> QuerySet[Party]:
    """Who may provide service: our teams, vendors and contractors (`Party.can_provide`)."""
    kinds = (PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR)
    return Party.objects.filter(kind__in=kinds).order_by("name", "id")


def person_by_login(login: str) -> Person | None:
    return Person.objects.filter(Q(username=login) | Q(email__iexact=login)).first()
