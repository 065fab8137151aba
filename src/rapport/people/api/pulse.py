"""Staff pulse over HTTP: surveys, answering, results and team health.

Nothing here returns an individual answer or who wrote a comment, to anyone, admins
included: answering returns no body; results and health are aggregates suppressed
below the anonymity threshold (tests/…/test_pulse_anonymity.py walks the schema).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Person, Team
from rapport.directory.queries import scope_for
from rapport.people import pulse_queries as queries
from rapport.people.actions import pulse as actions
from rapport.people.models import PulseComment, PulseRound, PulseSurvey
from rapport.people.models.pulse import ENPS_QUESTION, ITEMS

router = Router(tags=["pulse"])
MAX_PERIOD = timedelta(days=400)


def _staff(request: HttpRequest) -> Person:
    me: Person = request.user  # type: ignore[assignment]
    if not scope_for(me).is_staff:
        raise PermissionDenied("The staff pulse is for staff.")
    return me


class PulseItemOut(Schema):
    key: str
    text: str


class RoundOut(Schema):
    id: int
    opens_at: datetime
    closes_at: datetime


class PulseSurveyOut(Schema):
    id: int
    team: int
    team_name: str
    cadence: str
    threshold: int
    question: str
    items: list[PulseItemOut]
    open_round_for_me: RoundOut | None


def survey_out(s: PulseSurvey, mine: dict[int, PulseRound]) -> dict[str, Any]:
    r = mine.get(s.pk)
    return {
        "id": s.pk, "team": s.team_id, "team_name": s.team.name, "cadence": s.cadence,
        "threshold": s.threshold, "question": ENPS_QUESTION,
        "items": [{"key": k, "text": ITEMS[k]} for k in s.items if k in ITEMS],
        "open_round_for_me": None if r is None else {"id": r.pk, "opens_at": r.opens_at,
                                                     "closes_at": r.closes_at},
    }  # fmt: skip


@router.get("/pulse/surveys", response=list[PulseSurveyOut],
            summary="Every team's pulse, and the round open for you")  # fmt: skip
def list_surveys(request: HttpRequest) -> list[dict[str, Any]]:
    me = _staff(request)
    mine = {r.survey_id: r for r in queries.open_rounds_for(me.pk, clock.now())}
    return [survey_out(s, mine) for s in queries.surveys()]


class SurveyIn(Input):
    team: int = Field(ge=1, le=MAX_ID)
    cadence: Literal["weekly", "fortnightly", "monthly", "quarterly"] = "monthly"
    items: list[str] = Field(default_factory=lambda: list(ITEMS)[:6], max_length=8)
    threshold: int = Field(default=5, ge=3, le=100)


@router.post("/pulse/surveys", response={201: PulseSurveyOut},
             summary="Set up a team's pulse (its lead, managers, admins)")  # fmt: skip
def set_up(request: HttpRequest, payload: SurveyIn) -> HttpStatus[dict[str, Any]]:
    me = _staff(request)
    team = Team.objects.filter(pk=payload.team).first()
    if team is None:
        raise NotFound(f"There is no team {payload.team}.", field="team")
    survey = actions.set_up_pulse(me, team, cadence=payload.cadence, items=payload.items,
                                  threshold=payload.threshold)  # fmt: skip
    return HttpStatus(201, survey_out(PulseSurvey.objects.select_related("team")
                                      .get(pk=survey.pk), {}))  # fmt: skip


class AnswerIn(Input):
    enps: int = Field(ge=0, le=10, description=ENPS_QUESTION)
    items: dict[str, int] = Field(default_factory=dict, max_length=8)
    comment: str = Field(default="", max_length=2000, description="Anonymous")


@router.post(
    "/pulse/rounds/{round_id}/answers",
    response={204: None},
    summary="Answer your team's pulse, anonymously (nothing is returned)",
)
def answer(request: HttpRequest, round_id: int, payload: AnswerIn) -> HttpResponse:
    me = _staff(request)
    pulse_round = PulseRound.objects.select_related("survey").filter(pk=round_id).first()
    if pulse_round is None:
        raise NotFound(f"There is no pulse round {round_id} for you.")
    actions.answer(me, pulse_round, enps=payload.enps, items=payload.items,
                   comment=payload.comment)  # fmt: skip
    return HttpResponse(status=204)


class ReplyOut(Schema):
    by: str
    text: str
    created_at: datetime


class CommentOut(Schema):
    id: int
    text: str
    replies: list[ReplyOut]
    proposal: int | None


class GroupOut(Schema):
    group: str = Field(description='A team id, or "company"')
    name: str
    answers: int
    invited: int
    suppressed: bool = Field(description="Fewer answers than the anonymity threshold")
    enps: float | None
    items: dict[str, float]
    comments: list[CommentOut]


def comment_out(c: PulseComment) -> dict[str, Any]:
    return {
        "id": c.pk, "text": c.text, "proposal": c.proposal_id,
        "replies": [{"by": r.author.display_name, "text": r.text, "created_at": r.created_at}
                    for r in c.replies.all()],
    }  # fmt: skip


class Period(Schema):
    since: datetime | None = Field(default=None, description="Default: 90 days ago")
    until: datetime | None = Field(default=None, description="Default: now")


def _period(p: Period) -> tuple[datetime, datetime]:
    until = p.until or clock.now()
    since = p.since or until - timedelta(days=90)
    for value, name in ((since, "since"), (until, "until")):
        if value.tzinfo is None:
            raise Invalid("Give a time zone (e.g. 2026-03-01T00:00:00Z).", field=name)
    if not since < until or until - since > MAX_PERIOD:
        raise Invalid("A period is up to 400 days and ends after it starts.", field="until")
    return since, until


@router.get("/pulse/results", response=list[GroupOut],
            summary="eNPS and items per team and for the company, suppressed below the "
            "anonymity threshold")  # fmt: skip
def get_results(request: HttpRequest, period: Query[Period]) -> list[dict[str, Any]]:
    _staff(request)
    since, until = _period(period)
    return [{
        "group": g.key, "name": g.name, "answers": g.answers, "invited": g.invited,
        "suppressed": g.suppressed, "enps": g.enps, "items": g.items,
        "comments": [comment_out(c) for c in g.comments],
    } for g in queries.results(since, until)]  # fmt: skip


class ReplyIn(Input):
    text: str = Field(max_length=2000)


@router.post("/pulse/comments/{comment_id}/replies", response={201: ReplyOut},
             summary="The team's lead replies to an anonymous comment")  # fmt: skip
def reply(request: HttpRequest, comment_id: int, payload: ReplyIn) -> HttpStatus[dict[str, Any]]:
    me = _staff(request)
    comment = PulseComment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(f"There is no comment {comment_id} you can see.")
    r = actions.reply_to_comment(me, comment, text=payload.text)
    return HttpStatus(201, {"by": me.display_name, "text": r.text, "created_at": r.created_at})


class HealthOut(Schema):
    team: int
    name: str
    since: datetime
    until: datetime
    enps: float | None
    enps_suppressed: bool
    ola_attainment: float | None = Field(description="Achieved / (achieved + breached)")
    csat: float | None = Field(description="% of 4–5 answers")
    quality: float | None = Field(description="Mean review score (Zendesk QA's IQS)")
    kudos_received: int
    kudos_given: int
    service_green: bool
    watermelon: bool = Field(description="Service green while eNPS is negative")


@router.get(
    "/teams/{team_id}/health",
    response=HealthOut,
    summary="A team's health: eNPS beside OLA attainment, CSAT, quality and kudos",
)
def get_health(request: HttpRequest, team_id: int, period: Query[Period]) -> dict[str, Any]:
    _staff(request)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound(f"There is no team {team_id}.")
    since, until = _period(period)
    h = queries.team_health([team], since, until, clock.now())[0]
    return {
        "team": team.pk, "name": team.name, "since": since, "until": until, "enps": h.enps,
        "enps_suppressed": h.enps_suppressed, "ola_attainment": h.ola_attainment,
        "csat": h.csat, "quality": h.quality, "kudos_received": h.kudos_received,
        "kudos_given": h.kudos_given, "service_green": h.service_green,
        "watermelon": h.watermelon,
    }  # fmt: skip
