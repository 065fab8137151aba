"""Reactions over the API (admins): the failed ones, and retrying them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from rapport.core.pagination import paginate
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.tickets import actions, queries
from rapport.tickets.models import PendingReaction

router = Router(tags=["reactions"])

StateName = Literal["retrying", "parked", "held"]


class ReactionOut(Schema):
    id: int
    subscriber: str
    state: StateName
    ticket: int
    event: int
    event_kind: str
    event_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    error: str
    created_at: datetime
    updated_at: datetime


class ReactionPage(Schema):
    items: list[ReactionOut]
    next_cursor: str | None


class ReactionFilters(Schema):
    state: StateName = Field(default="parked", description="parked (default), retrying or held")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


class RetryOut(Schema):
    handled: bool = Field(description="True: it ran; the reaction is gone")
    reaction: ReactionOut | None = Field(description="Still failing: the reaction, new error")


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def reaction_out(row: PendingReaction) -> dict[str, Any]:
    return {
        "id": row.pk,
        "subscriber": row.subscriber,
        "state": row.state,
        "ticket": row.ticket_id,
        "event": row.event_id,
        "event_kind": row.event.kind,
        "event_at": row.event.created_at,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "error": row.error,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


@router.get("/reactions/parked", response=ReactionPage, summary="Failed reactions (admins)")
def list_parked(request: HttpRequest, filters: Query[ReactionFilters]) -> dict[str, Any]:
    qs = queries.pending_reactions(scope_for(_me(request)), state=filters.state)
    items, cursor = paginate(
        qs, field="event_id", descending=False, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [reaction_out(r) for r in items], "next_cursor": cursor}


@router.post(
    "/reactions/parked/{reaction_id}/retry",
    response=RetryOut,
    summary="Run a failed reaction again now (admins)",
)
def retry(request: HttpRequest, reaction_id: int) -> dict[str, Any]:
    row = actions.retry_reaction(_me(request), reaction_id)
    return {"handled": row is None, "reaction": reaction_out(row) if row is not None else None}
