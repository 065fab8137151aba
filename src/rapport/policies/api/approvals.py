"""Approving exceptions beyond a policy's autonomy: the approver the agent named (the
policy's owner or the agent's lead) sees what waits for them and decides; the decision
is recorded on the exception and the ticket, and the agent is told."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from rapport.core.errors import NotFound
from rapport.core.schemas import Input
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.api._common import caller, router
from rapport.policies.api.work import ExceptionOut, exception_out


class ExceptionFilters(Schema):
    status: Literal["pending", "decided"] = Field(
        default="pending", description="Waiting for you, or decided by you (last 90 days)"
    )
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/exceptions", response=list[ExceptionOut],
            summary="Exceptions waiting for your approval, or decided by you (staff)")  # fmt: skip
def list_exceptions(request: HttpRequest, filters: Query[ExceptionFilters]) -> list[dict[str, Any]]:
    me = caller(request)
    scope = scope_for(me)
    if not scope.is_staff:
        return []
    rows = (
        queries.awaiting_approval(me.pk)
        if filters.status == "pending"
        else queries.decided_by(me.pk)
    )
    visible = queries.visible_exceptions(scope).values("pk")
    rows = rows.filter(pk__in=visible).select_related("approver")[: filters.limit]
    return [exception_out(e) for e in rows]


@router.get("/exceptions/{exception_id}", response=ExceptionOut, summary="One exception (staff)")
def get_exception(request: HttpRequest, exception_id: int) -> dict[str, Any]:
    return exception_out(queries.get_exception(scope_for(caller(request)), exception_id))


class ExceptionDecisionIn(Input):
    decision: Literal["approve", "decline"]
    note: str = Field(default="", max_length=20_000, description="Required to decline")


@router.post("/exceptions/{exception_id}/decision", response=ExceptionOut,
             summary="Approve or decline an exception (its approver)")  # fmt: skip
def decide_exception(
    request: HttpRequest, exception_id: int, payload: ExceptionDecisionIn
) -> dict[str, Any]:
    me = caller(request)
    exception = queries.get_exception(scope_for(me), exception_id)
    decided = actions.decide_exception(
        me, exception, approve=payload.decision == "approve", note=payload.note
    )
    found = queries.visible_exceptions(scope_for(me)).filter(pk=decided.pk).first()
    if found is None:  # pragma: no cover - it was visible a moment ago
        raise NotFound(f"There is no exception {exception_id} you can see.")
    return exception_out(found)
