"""The service chain over HTTP: hand-offs, waiting on them, my requests to other
teams, the relationship map and chain analytics."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from rapport.chain import actions, analytics, queries
from rapport.core import clock
from rapport.core.choices import Priority
from rapport.core.errors import Invalid, NotFound
from rapport.core.pagination import paginate
from rapport.core.schemas import MAX_ID, Input, PartyRef
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket
from rapport.tickets.schemas import AgreementRef, PriorityName, TicketOut, ticket_out

router = Router(tags=["service chain"])
PAGE = 25
DEFAULT_DAYS = 91  # a quarter


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class HandOffIn(Input):
    provider: int = Field(ge=1, le=MAX_ID, description="Party id of a team, vendor or contractor")
    subject: str = Field(max_length=300)
    note: str = Field(max_length=20_000, description="What the provider needs to know")
    share_request: bool = Field(
        default=False, description="Quote the customer's first message in the hand-off"
    )
    priority: PriorityName | None = None
    wait: bool = Field(default=False, description="Put the parent on hold until children are done")


class ChildOut(Schema):
    number: int
    subject: str
    status: str
    status_name: str
    category: str
    provider: PartyRef
    agreement: AgreementRef | None
    sla_due_at: datetime | None
    solved_at: datetime | None


def child_out(t: Ticket) -> dict[str, Any]:
    return {
        "number": t.pk, "subject": t.subject, "status": t.status.slug,
        "status_name": t.status.name, "category": t.status_category,
        "provider": {"id": t.provider_party_id, "name": t.provider_party.name,
                     "kind": t.provider_party.kind},
        "agreement": ({"id": t.agreement.pk, "name": t.agreement.name, "kind": t.agreement.kind}
                      if t.agreement else None),
        "sla_due_at": t.sla_due_at, "solved_at": t.solved_at,
    }  # fmt: skip


@router.post(
    "/tickets/{number}/handoffs", response={201: TicketOut}, summary="Hand work to another provider"
)
def create_handoff(request: HttpRequest, number: int, payload: HandOffIn) -> Status[dict[str, Any]]:
    me = _me(request)
    parent = ticket_queries.get_ticket(scope_for(me), number)
    provider = Party.objects.filter(pk=payload.provider).first()
    if provider is None:
        raise NotFound(f"There is no party {payload.provider}.", field="provider")
    child = actions.hand_off(
        me, parent, provider=provider, subject=payload.subject, note=payload.note,
        share_request=payload.share_request,
        priority=Priority.from_name(payload.priority) if payload.priority else None,
        wait=payload.wait,
    )  # fmt: skip
    # The agent handing work over works the parent: they see it.
    return Status(201, ticket_out(child, parents={parent.pk}, tags=[]))


@router.get(
    "/tickets/{number}/handoffs", response=list[ChildOut], summary="The hand-offs of a ticket"
)
def list_handoffs(request: HttpRequest, number: int) -> list[dict[str, Any]]:
    scope = scope_for(_me(request))
    parent = ticket_queries.get_ticket(scope, number)
    return [child_out(t) for t in queries.children(scope, parent)]


@router.post(
    "/tickets/{number}/wait", response=TicketOut, summary="Put a ticket on hold for its hand-offs"
)
def wait(request: HttpRequest, number: int) -> dict[str, Any]:
    me = _me(request)
    scope = scope_for(me)
    ticket = ticket_queries.get_ticket(scope, number)
    actions.wait_on_children(me, ticket)
    ticket = ticket_queries.get_ticket(scope, number)
    return ticket_out(ticket, parents=ticket_queries.visible_parents(scope, [ticket]))


class RequestPage(Schema):
    items: list[ChildOut]
    next_cursor: str | None


class PageParams(Schema):
    cursor: str | None = Field(default=None, max_length=200)


@router.get(
    "/chain/requests", response=RequestPage, summary="My requests to other teams and partners"
)
def my_requests(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    scope = scope_for(_me(request))
    rows, cursor = paginate(
        queries.my_requests(scope), field="updated_at", descending=True, cursor=params.cursor,
        limit=PAGE, is_datetime=True,
    )  # fmt: skip
    return {"items": [child_out(t) for t in rows], "next_cursor": cursor}


class PeriodParams(Schema):
    since: datetime | None = Field(default=None, description="Default: 91 days before until")
    until: datetime | None = Field(default=None, description="Default: now")


def period(params: PeriodParams) -> tuple[datetime, datetime]:
    until = params.until or clock.now()
    since = params.since or until - timedelta(days=DEFAULT_DAYS)
    for value, name in ((since, "since"), (until, "until")):
        if value.tzinfo is None:
            raise Invalid("Give a time zone (e.g. 2026-03-01T00:00:00Z).", field=name)
        if not 1900 < value.year < 9000:
            raise Invalid("Give a year between 1901 and 8999.", field=name)
    if since >= until:
        raise Invalid("The period ends before it starts.", field="until")
    return since, until


class NodeOut(Schema):
    id: int
    name: str
    kind: str


class EdgeOut(Schema):
    agreement: AgreementRef
    provider: int
    client: int
    tickets: int
    achieved: int
    breached: int
    pending: int
    attainment: float | None = Field(description="achieved / (achieved + breached)")
    worst: bool = Field(description="Among the lowest attainments of the period")


class MapOut(Schema):
    since: datetime
    until: datetime
    nodes: list[NodeOut]
    edges: list[EdgeOut]


@router.get("/chain/map", response=MapOut, summary="Who serves whom, with volume and attainment")
def relationship_map(request: HttpRequest, params: Query[PeriodParams]) -> dict[str, Any]:
    since, until = period(params)
    data = queries.relationship_map(
        scope_for(_me(request)), since=since, until=until, now=clock.now()
    )
    return {
        "since": since,
        "until": until,
        "nodes": [{"id": p.pk, "name": p.name, "kind": p.kind} for p in data.parties],
        "edges": [
            {
                "agreement": {
                    "id": e.agreement.pk,
                    "name": e.agreement.name,
                    "kind": e.agreement.kind,
                },
                "provider": e.agreement.provider_id,
                "client": e.agreement.client_id,
                "tickets": e.tickets,
                "achieved": e.achieved,
                "breached": e.breached,
                "pending": e.pending,
                "attainment": e.attainment,
                "worst": e.worst,
            }
            for e in data.edges
        ],
    }


class LinkOut(Schema):
    provider: int
    provider_name: str
    provider_kind: str
    front: bool = Field(description="Served the customer directly (else worked a hand-off)")
    tickets: int
    measured: int = Field(description="Links whose resolution clock is fulfilled")
    business_minutes: float
    mean_minutes: float | None


class BreachesOut(Schema):
    sla_breached: int
    sla_breached_after_handoff_breach: int
    with_breached_handoff: int
    handoff_breach_then_sla_breach: int


class OutcomeOut(Schema):
    group: str
    label: str
    tickets: int
    sla_breached: int
    sla_breach_rate: float | None
    reopened: int
    reopen_rate: float | None
    resolved_measured: int
    mean_resolution_minutes: float | None
    survey_responses: int = Field(description="Answered surveys of the group's tickets")
    csat_answers: int
    csat_satisfied: int = Field(description="CSAT answers of 4 or 5")
    csat: float | None = Field(description="Percent of CSAT answers that were 4 or 5")
    mean_csat: float | None = Field(description="Mean CSAT answer, 1 to 5")
    nps_answers: int
    nps_promoters: int = Field(description="NPS answers of 9 or 10")
    nps_detractors: int = Field(description="NPS answers of 0 to 6")
    nps: float | None = Field(description="Percent promoters minus percent detractors")


class AnalyticsOut(Schema):
    since: datetime
    until: datetime
    external_tickets: int
    links: list[LinkOut]
    breaches: BreachesOut
    outcomes: list[OutcomeOut]


@router.get("/chain/analytics", response=AnalyticsOut, summary="Chain analytics for a period")
def chain_analytics(request: HttpRequest, params: Query[PeriodParams]) -> dict[str, Any]:
    since, until = period(params)
    result = analytics.chain_analytics(
        scope_for(_me(request)), since=since, until=until, now=clock.now()
    )
    return analytics.analytics_dict(result)
