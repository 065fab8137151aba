"""Kudos over HTTP (`/kudos`): the wall, giving kudos, the company values. Staff only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PersonRef
from rapport.directory.models import Person, Team
from rapport.directory.queries import scope_for
from rapport.people import kudos_queries as queries
from rapport.people.actions import recognition as actions
from rapport.people.models import CompanyValue, Kudos
from rapport.tickets import queries as ticket_queries

router = Router(tags=["kudos"])


def _staff(request: HttpRequest) -> Person:
    me: Person = request.user  # type: ignore[assignment]
    if not scope_for(me).is_staff:
        raise PermissionDenied("Kudos are for staff.")
    return me


class KudosTeamRef(Schema):
    id: int
    name: str


class ValueOut(Schema):
    id: int
    name: str
    description: str


class KudosOut(Schema):
    id: int
    giver: PersonRef
    from_team: KudosTeamRef | None
    to_person: PersonRef | None
    to_team: KudosTeamRef | None
    message: str
    ticket: int | None
    value: ValueOut | None
    from_customer: bool
    created_at: datetime


def kudos_out(k: Kudos) -> dict[str, Any]:
    def team(t: Team | None) -> dict[str, Any] | None:
        return None if t is None else {"id": t.pk, "name": t.name}

    def person(p: Person | None) -> dict[str, Any] | None:
        return None if p is None else {"id": p.pk, "name": p.display_name}

    v = k.value
    return {
        "id": k.pk, "giver": person(k.giver), "from_team": team(k.from_team),
        "to_person": person(k.to_person), "to_team": team(k.to_team), "message": k.message,
        "ticket": k.ticket_id, "from_customer": k.from_customer, "created_at": k.created_at,
        "value": None if v is None else {"id": v.pk, "name": v.name,
                                         "description": v.description},
    }  # fmt: skip


class KudosPage(Schema):
    items: list[KudosOut]
    next_cursor: str | None


class KudosFilters(Schema):
    team: int | None = Field(default=None, ge=1, le=MAX_ID, description="A team's wall")
    person: int | None = Field(default=None, ge=1, le=MAX_ID, description="Given or received")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


@router.get("/kudos", response=KudosPage, summary="The kudos wall (company, a team, a person)")
def list_kudos(request: HttpRequest, filters: Query[KudosFilters]) -> dict[str, Any]:
    _staff(request)
    qs = queries.wall(team_id=filters.team, person_id=filters.person)
    rows, cursor = paginate(qs, field="created_at", descending=True, cursor=filters.cursor,
                            limit=filters.limit, is_datetime=True)  # fmt: skip
    return {"items": [kudos_out(k) for k in rows], "next_cursor": cursor}


class KudosIn(Input):
    message: str = Field(max_length=2000)
    to_person: int | None = Field(default=None, ge=1, le=MAX_ID)
    to_team: int | None = Field(default=None, ge=1, le=MAX_ID)
    from_team: int | None = Field(default=None, ge=1, le=MAX_ID, description="On its behalf")
    ticket: int | None = Field(default=None, ge=1, le=MAX_ID)
    value: int | None = Field(default=None, ge=1, le=MAX_ID)


def _get(model: Any, pk: int | None, field: str, **extra: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **extra).first()
    if found is None:
        raise NotFound(f"There is no {field.replace('_', ' ')} {pk}.", field=field)
    return found


@router.post("/kudos", response={201: KudosOut}, summary="Thank a colleague or a team")
def give_kudos(request: HttpRequest, payload: KudosIn) -> HttpStatus[dict[str, Any]]:
    me = _staff(request)
    ticket = None
    if payload.ticket is not None:
        ticket = ticket_queries.get_ticket(scope_for(me), payload.ticket, field="ticket")
    kudos = actions.give_kudos(
        me, message=payload.message,
        to_person=_get(Person, payload.to_person, "to_person", is_active=True),
        to_team=_get(Team, payload.to_team, "to_team"),
        from_team=_get(Team, payload.from_team, "from_team"), ticket=ticket,
        value=_get(CompanyValue, payload.value, "value"),
    )  # fmt: skip
    return HttpStatus(201, kudos_out(queries.wall().get(pk=kudos.pk)))


@router.get("/kudos/values", response=list[ValueOut], summary="The company values kudos carry")
def list_values(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request)
    return [{"id": v.pk, "name": v.name, "description": v.description}
            for v in queries.values()[:100]]  # fmt: skip


class ValueIn(Input):
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)


@router.post("/kudos/values", response={201: ValueOut}, summary="Add a company value (admins)")
def create_value(request: HttpRequest, payload: ValueIn) -> HttpStatus[dict[str, Any]]:
    v = actions.create_value(_staff(request), name=payload.name, description=payload.description)
    return HttpStatus(201, {"id": v.pk, "name": v.name, "description": v.description})
