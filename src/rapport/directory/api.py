"""Organisations, teams, people and parties."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import EmailStr, Field

from rapport.core.errors import NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import LIMIT, Input
from rapport.directory import actions
from rapport.directory.models import Organisation, Party, Person, Team, TeamMembership
from rapport.directory.queries import (
    scope_for,
    visible_organisations,
    visible_parties,
    visible_people,
    visible_teams,
)

router = Router(tags=["directory"])

OrgKindName = Literal["own", "customer", "vendor", "contractor"]
StaffRoleName = Literal["", "agent", "manager", "admin"]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    email_domain: str
    party: int = Field(alias="party_id")
    created_at: datetime


class OrganisationCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKindName
    email_domain: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=10_000)


class OrganisationPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email_domain: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=10_000)


class MemberOut(Schema):
    person: int
    name: str
    role: str


class TeamOut(Schema):
    id: int
    name: str
    email: str
    party: int = Field(alias="party_id")
    created_at: datetime


class TeamCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | Literal[""] = ""


class TeamPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | Literal[""] | None = None


class TeamMemberIn(Input):
    person: int
    role: Literal["agent", "lead"] = "agent"


class OrgMemberIn(Input):
    person: int
    is_admin: bool = False


class PersonOut(Schema):
    id: int
    username: str
    name: str = Field(alias="display_name")
    email: str
    staff_role: str
    is_active: bool


class PersonCreate(Input):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    email: EmailStr | Literal[""] = ""
    full_name: str = Field(default="", max_length=200)
    staff_role: StaffRoleName = ""
    password: str | None = Field(default=None, min_length=1, max_length=200)


class PersonPatch(Input):
    email: EmailStr | Literal[""] | None = None
    full_name: str | None = Field(default=None, max_length=200)
    staff_role: StaffRoleName | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=200)


class MeOut(PersonOut):
    teams: list[int]
    organisations: list[int]
    org_admin_of: list[int]


class PartyOut(Schema):
    id: int
    name: str
    kind: str


class Page(Schema):
    next_cursor: str | None


class OrganisationPage(Page):
    items: list[OrganisationOut]


class TeamPage(Page):
    items: list[TeamOut]


class PersonPage(Page):
    items: list[PersonOut]


class PartyPage(Page):
    items: list[PartyOut]


class ListParams(Schema):
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = LIMIT


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


# --- me ----------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="Who you are signed in as")
def me(request: HttpRequest) -> dict[str, object]:
    person = _me(request)
    scope = scope_for(person)
    return {
        **PersonOut.from_orm(person).dict(),
        "teams": sorted(
            TeamMembership.objects.filter(person=person).values_list("team_id", flat=True)
        ),
        "organisations": sorted(person.org_memberships.values_list("organisation_id", flat=True)),
        "org_admin_of": sorted(
            person.org_memberships.filter(is_admin=True).values_list("organisation_id", flat=True)
        ),
        "display_name": person.display_name,
        "staff_role": scope.staff_role,
    }


# --- parties -----------------------------------------------------------------


@router.get("/parties", response=PartyPage, summary="Parties you can see (clients, providers)")
def list_parties(
    request: HttpRequest, params: Query[ListParams], kind: str | None = None
) -> dict[str, object]:
    qs = visible_parties(scope_for(_me(request)))
    if kind:
        qs = qs.filter(kind=kind)
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": items, "next_cursor": cursor}


# --- organisations -----------------------------------------------------------


def _organisation(request: HttpRequest, org_id: int) -> Organisation:
    org = visible_organisations(scope_for(_me(request))).filter(pk=org_id).first()
    if org is None:
        raise NotFound(f"There is no organisation {org_id} you can see.")
    return org


@router.get("/organisations", response=OrganisationPage, summary="List organisations")
def list_organisations(
    request: HttpRequest, params: Query[ListParams], kind: OrgKindName | None = None
) -> dict[str, object]:
    qs = visible_organisations(scope_for(_me(request)))
    if kind:
        qs = qs.filter(kind=kind)
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": items, "next_cursor": cursor}


@router.post("/organisations", response={201: OrganisationOut}, summary="Create an organisation")
def create_organisation(request: HttpRequest, payload: OrganisationCreate) -> Status[Organisation]:
    return Status(201, actions.create_organisation(_me(request), **payload.dict()))


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="One organisation")
def get_organisation(request: HttpRequest, org_id: int) -> Organisation:
    return _organisation(request, org_id)


@router.patch("/organisations/{org_id}", response=OrganisationOut, summary="Change an organisation")
def patch_organisation(
    request: HttpRequest, org_id: int, payload: OrganisationPatch
) -> Organisation:
    org = _organisation(request, org_id)
    return actions.update_organisation(_me(request), org, **payload.dict(exclude_unset=True))


@router.post(
    "/organisations/{org_id}/members", response={204: None}, summary="Add or update a member"
)
def add_org_member(request: HttpRequest, org_id: int, payload: OrgMemberIn) -> Status[None]:
    org = _organisation(request, org_id)
    actions.require_admin(_me(request))  # before looking up the body: non-admins learn nothing
    actions.add_org_member(
        _me(request), org, _person(request, payload.person), is_admin=payload.is_admin
    )
    return Status(204, None)


@router.delete(
    "/organisations/{org_id}/members/{person_id}", response={204: None}, summary="Remove a member"
)
def remove_org_member(request: HttpRequest, org_id: int, person_id: int) -> Status[None]:
    org = _organisation(request, org_id)
    actions.remove_org_member(_me(request), org, _person(request, person_id))
    return Status(204, None)


# --- teams -------------------------------------------------------------------


def _team(request: HttpRequest, team_id: int) -> Team:
    team = visible_teams(scope_for(_me(request))).filter(pk=team_id).first()
    if team is None:
        raise NotFound(f"There is no team {team_id} you can see.")
    return team


@router.get("/teams", response=TeamPage, summary="List teams")
def list_teams(request: HttpRequest, params: Query[ListParams]) -> dict[str, object]:
    qs = visible_teams(scope_for(_me(request)))
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": items, "next_cursor": cursor}


@router.post("/teams", response={201: TeamOut}, summary="Create a team")
def create_team(request: HttpRequest, payload: TeamCreate) -> Status[Team]:
    return Status(
        201, actions.create_team(_me(request), name=payload.name, email=str(payload.email))
    )


@router.get("/teams/{team_id}", response=TeamOut, summary="One team")
def get_team(request: HttpRequest, team_id: int) -> Team:
    return _team(request, team_id)


@router.patch("/teams/{team_id}", response=TeamOut, summary="Change a team")
def patch_team(request: HttpRequest, team_id: int, payload: TeamPatch) -> Team:
    changes = payload.dict(exclude_unset=True)
    if "email" in changes and changes["email"] is not None:
        changes["email"] = str(changes["email"])
    return actions.update_team(_me(request), _team(request, team_id), **changes)


@router.get("/teams/{team_id}/members", response=list[MemberOut], summary="Members of a team")
def team_members(request: HttpRequest, team_id: int) -> list[dict[str, object]]:
    team = _team(request, team_id)
    if not scope_for(_me(request)).is_staff:
        raise NotFound(f"There is no team {team_id} you can see.")
    rows = TeamMembership.objects.filter(team=team).select_related("person").order_by("id")
    return [{"person": m.person_id, "name": m.person.display_name, "role": m.role} for m in rows]


@router.post("/teams/{team_id}/members", response={204: None}, summary="Add or update a member")
def add_team_member(request: HttpRequest, team_id: int, payload: TeamMemberIn) -> Status[None]:
    team = _team(request, team_id)
    actions.require_admin(_me(request))  # before looking up the body: non-admins learn nothing
    actions.add_team_member(_me(request), team, _person(request, payload.person), role=payload.role)
    return Status(204, None)


@router.delete(
    "/teams/{team_id}/members/{person_id}", response={204: None}, summary="Remove a member"
)
def remove_team_member(request: HttpRequest, team_id: int, person_id: int) -> Status[None]:
    actions.remove_team_member(_me(request), _team(request, team_id), _person(request, person_id))
    return Status(204, None)


# --- people ------------------------------------------------------------------


def _person(request: HttpRequest, person_id: int) -> Person:
    person = visible_people(scope_for(_me(request))).filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"There is no person {person_id} you can see.", field="person")
    return person


@router.get("/people", response=PersonPage, summary="List people")
def list_people(
    request: HttpRequest, params: Query[ListParams], q: str | None = Query(None, max_length=100)
) -> dict[str, object]:
    qs = visible_people(scope_for(_me(request)))
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    items, cursor = paginate(
        qs, field="id", descending=False, cursor=params.cursor, limit=params.limit
    )
    return {"items": items, "next_cursor": cursor}


@router.post("/people", response={201: PersonOut}, summary="Create a person")
def create_person(request: HttpRequest, payload: PersonCreate) -> Status[Person]:
    data = payload.dict()
    data["email"] = str(data["email"])
    return Status(201, actions.create_person(_me(request), **data))


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> Person:
    return _person(request, person_id)


@router.patch("/people/{person_id}", response=PersonOut, summary="Change a person")
def patch_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    changes = payload.dict(exclude_unset=True)
    if changes.get("email") is not None:
        changes["email"] = str(changes["email"])
    return actions.update_person(_me(request), _person(request, person_id), **changes)


__all__ = ["Party", "router"]
