"""Surveys: what each agreement asks, and the answers (for the providing side)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.agreements.api import _agreement
from rapport.core.schemas import LIMIT, MAX_ID, Input
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.surveys import actions
from rapport.surveys.models import SurveySettings, SurveyState
from rapport.surveys.queries import visible_surveys

router = Router(tags=["surveys"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class SurveySettingsOut(Schema):
    agreement: int
    enabled: bool
    csat: bool
    ces: bool
    nps: bool
    ask_comment: bool
    delay_minutes: int


class SurveySettingsIn(Input):
    enabled: bool = True
    csat: bool = True
    ces: bool = False
    nps: bool = False
    ask_comment: bool = True
    delay_minutes: int = Field(default=60, ge=0, le=43200)


def _settings_out(agreement_id: int, row: SurveySettings | None) -> dict[str, Any]:
    if row is None:
        return {"agreement": agreement_id, "enabled": False, "csat": False, "ces": False,
                "nps": False, "ask_comment": False, "delay_minutes": 0}  # fmt: skip
    return {"agreement": agreement_id, "enabled": row.enabled, "csat": row.csat, "ces": row.ces,
            "nps": row.nps, "ask_comment": row.ask_comment,
            "delay_minutes": row.delay_minutes}  # fmt: skip


@router.get("/agreements/{agreement_id}/survey", response=SurveySettingsOut,
            summary="What an agreement's clients are asked after a solve")  # fmt: skip
def get_survey_settings(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    return _settings_out(agreement.pk, SurveySettings.objects.filter(agreement=agreement).first())


@router.put("/agreements/{agreement_id}/survey", response=SurveySettingsOut,
            summary="Choose CSAT, CES and NPS for an agreement (admins)")  # fmt: skip
def put_survey_settings(
    request: HttpRequest, agreement_id: int, body: SurveySettingsIn
) -> dict[str, Any]:
    agreement = _agreement(request, agreement_id)
    row = actions.configure(_me(request), agreement, **body.dict())
    return _settings_out(agreement.pk, row)


class SurveyOut(Schema):
    id: int
    ticket: int
    provider: int
    agreement: int | None
    agent: int | None
    state: str
    reason: str
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    csat: int | None
    ces: int | None
    nps: int | None
    comment: str


class SurveyList(Schema):
    items: list[SurveyOut]


class SurveyParams(Schema):
    state: SurveyState | None = None
    provider: int | None = Field(default=None, ge=1, le=MAX_ID, description="Provider party id")
    limit: int = LIMIT


@router.get("/surveys", response=SurveyList, summary="Surveys of the providers you work for")
def list_surveys(request: HttpRequest, params: Query[SurveyParams]) -> dict[str, Any]:
    qs = visible_surveys(scope_for(_me(request)))
    if params.state is not None:
        qs = qs.filter(state=params.state)
    if params.provider is not None:
        qs = qs.filter(provider_party_id=params.provider)
    items = [
        {"id": s.pk, "ticket": s.ticket_id, "provider": s.provider_party_id,
         "agreement": s.agreement_id, "agent": s.agent_id, "state": s.state, "reason": s.reason,
         "created_at": s.created_at, "sent_at": s.sent_at, "answered_at": s.answered_at,
         "csat": s.csat, "ces": s.ces, "nps": s.nps, "comment": s.comment}
        for s in qs.order_by("-created_at", "-id")[: params.limit]
    ]  # fmt: skip
    return {"items": items}
