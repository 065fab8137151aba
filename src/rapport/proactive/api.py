"""Proactive service over HTTP: at-risk clients, a ticket's breach forecast and mood,
and outreach (preview, dry run, send, follow up). Managers and admins see risk and
outreach; our staff who see a ticket's clocks see its forecast; clients and vendor
users see no scores (404 for a ticket's forecast, 403 for the lists)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core import clock
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.proactive import actions, queries
from rapport.proactive.actions.outreach import Recipient
from rapport.proactive.models import Outreach
from rapport.tickets.queries import get_ticket

router = Router(tags=["proactive"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class Contribution(Schema):
    key: str
    label: str
    points: float
    detail: str


class HistoryPoint(Schema):
    taken_at: datetime
    score: float


class ClientRiskOut(Schema):
    party: int
    name: str
    kind: str
    score: float
    at_risk: bool
    contributions: list[Contribution]
    computed_at: datetime
    history: list[HistoryPoint]


class AtRiskParams(Schema):
    only_at_risk: bool = False
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/clients/at-risk",
    response=list[ClientRiskOut],
    summary="Clients by risk, each score with the contributions it adds up from",
)
def list_at_risk(request: HttpRequest, params: Query[AtRiskParams]) -> list[dict[str, Any]]:
    rows = list(
        queries.at_risk(scope_for(_me(request)), only_at_risk=params.only_at_risk)[: params.limit]
    )
    past = queries.history([r.party_id for r in rows], clock.now())
    return [
        {
            "party": r.party_id,
            "name": r.party.name,
            "kind": r.party.kind,
            "score": r.score,
            "at_risk": r.at_risk,
            "contributions": r.contributions,
            "computed_at": r.computed_at,
            "history": [{"taken_at": s.taken_at, "score": s.score} for s in past[r.party_id]],
        }
        for r in rows
    ]


class ForecastClock(Schema):
    clock: int
    kind: str
    agreement_kind: str
    probability: float
    used_fraction: float
    left_minutes: float
    queue_ahead: int
    load: float
    computed_at: datetime
    warned_at: datetime | None


class MoodOut(Schema):
    scores: list[float]
    latest: float | None
    sour: bool


class ForecastOut(Schema):
    ticket: int
    clocks: list[ForecastClock]
    mood: MoodOut | None


@router.get(
    "/tickets/{number}/forecast",
    response=ForecastOut,
    summary="A ticket's breach forecast per open clock, and its client's mood",
)
def ticket_forecast(request: HttpRequest, number: int) -> dict[str, Any]:
    scope = scope_for(_me(request))
    ticket = get_ticket(scope, number)
    found = queries.forecasts(scope, ticket)
    mood = queries.mood(ticket)
    return {
        "ticket": ticket.pk,
        "clocks": [
            {
                "clock": f.clock_id,
                "kind": f.clock.kind,
                "agreement_kind": f.factors.get("agreement_kind", ""),
                "probability": f.probability,
                "used_fraction": f.factors.get("used_fraction", 0),
                "left_minutes": f.factors.get("left_minutes", 0),
                "queue_ahead": f.factors.get("queue_ahead", 0),
                "load": f.factors.get("load", 1),
                "computed_at": f.computed_at,
                "warned_at": f.warned_at,
            }
            for f in found
        ],
        "mood": None
        if mood is None
        else {"scores": mood.scores, "latest": mood.latest, "sour": mood.sour},
    }


Source = Literal["tickets", "filter", "vendor"]


class OutreachIn(Input):
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20_000)
    source: Source = "tickets"
    tickets: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=500
    )
    vendor: int | None = Field(None, ge=1, le=MAX_ID)
    client: int | None = Field(None, ge=1, le=MAX_ID)
    provider: int | None = Field(None, ge=1, le=MAX_ID)
    tag: str = Field("", max_length=64)
    follow_up_of: int | None = Field(None, ge=1, le=MAX_ID)
    dry_run: bool = False


class RecipientOut(Schema):
    person: int
    name: str
    ticket: int
    opens_ticket: bool


class OutreachOut(Schema):
    id: int | None
    dry_run: bool
    subject: str
    source: str
    follow_up_of: int | None
    created_at: datetime | None
    recipients: list[RecipientOut]


def _recipient_out(r: Recipient) -> dict[str, Any]:
    return {
        "person": r.person.pk,
        "name": r.person.display_name,
        "ticket": r.ticket.pk,
        "opens_ticket": r.opens_ticket,
    }


def outreach_out(o: Outreach) -> dict[str, Any]:
    return {
        "id": o.pk,
        "dry_run": False,
        "subject": o.subject,
        "source": o.source,
        "follow_up_of": o.follow_up_of_id,
        "created_at": o.created_at,
        "recipients": [
            {
                "person": r.person_id,
                "name": r.person.display_name,
                "ticket": r.ticket_id,
                "opens_ticket": r.opened_ticket,
            }
            for r in o.recipients.all()
        ],
    }


@router.get("/outreach", response=list[OutreachOut], summary="Outreach sent (managers)")
def list_outreach(request: HttpRequest) -> list[dict[str, Any]]:
    found = queries.outreaches(scope_for(_me(request))).prefetch_related("recipients__person")[:50]
    return [outreach_out(o) for o in found]


@router.post(
    "/outreach",
    response={200: OutreachOut, 201: OutreachOut},
    summary="Preview (dry run) or send one message to every affected client",
)
def create_outreach(request: HttpRequest, payload: OutreachIn) -> HttpStatus[dict[str, Any]]:
    me = _me(request)
    scope = scope_for(me)
    queries.require_manager(scope)
    previous = (
        queries.get_outreach(scope, payload.follow_up_of)
        if payload.follow_up_of is not None
        else None
    )
    selection: dict[str, Any] = {
        "tickets": payload.tickets,
        "vendor": payload.vendor,
        "client": payload.client,
        "provider": payload.provider,
        "tag": payload.tag,
    }
    if payload.dry_run:
        found = actions.preview(me, source=payload.source, follow_up_of=previous, **selection)
        return HttpStatus(
            200,
            {
                "id": None,
                "dry_run": True,
                "subject": payload.subject,
                "source": payload.source,
                "follow_up_of": payload.follow_up_of,
                "created_at": None,
                "recipients": [_recipient_out(r) for r in found],
            },
        )
    sent = actions.send_outreach(
        me,
        subject=payload.subject,
        body=payload.body,
        source=payload.source,
        follow_up_of=previous,
        **selection,
    )
    sent = queries.outreaches(scope).prefetch_related("recipients__person").get(pk=sent.pk)
    return HttpStatus(201, outreach_out(sent))
