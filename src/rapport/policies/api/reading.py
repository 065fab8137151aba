"""Read acknowledgements of must-read versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.core.schemas import Input
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.api._common import (
    caller,
    path_document,
    path_version,
    router,
)
from rapport.policies.models import (
    ReadTask,
)


class AcknowledgeIn(Input):
    answers: list[int] = Field(default_factory=list, max_length=5)


class ReadTaskOut(Schema):
    document: int
    version: int
    title: str
    assigned_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None


def read_out(t: ReadTask) -> dict[str, Any]:
    return {"document": t.version.document_id, "version": t.version.number,
            "title": t.version.title, "assigned_at": t.assigned_at, "due_at": t.due_at,
            "acknowledged_at": t.acknowledged_at}  # fmt: skip


@router.post("/documents/{document_id}/versions/{version_number}/acknowledge", response=ReadTaskOut,
             summary="Acknowledge reading a must-read version (passing its check)")  # fmt: skip
def acknowledge(
    request: HttpRequest, document_id: int, version_number: int, payload: AcknowledgeIn
) -> dict[str, Any]:
    me = caller(request)
    task = actions.acknowledge(
        me, path_version(request, document_id, version_number), payload.answers
    )
    return read_out(ReadTask.objects.select_related("version").get(pk=task.pk))


class AckSummary(Schema):
    version: int
    assigned: int
    acknowledged: int
    overdue: int


@router.get("/documents/{document_id}/acknowledgements", response=list[AckSummary],
            summary="Read acknowledgements per must-read version (staff)")  # fmt: skip
def acknowledgements(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    if not scope.is_staff:
        raise NotFound(f"There is no document {document_id} you can see.")
    now = clock.now()
    rows = (
        doc.versions.filter(must_read=True)
        .annotate(
            assigned=Count("read_tasks"),
            acknowledged=Count("read_tasks", filter=Q(read_tasks__acknowledged_at__isnull=False)),
            overdue=Count("read_tasks", filter=Q(read_tasks__acknowledged_at__isnull=True,
                                                 read_tasks__due_at__lt=now)),
        )
        .order_by("-number")
    )  # fmt: skip
    return [{"version": v.number, "assigned": v.assigned, "acknowledged": v.acknowledged,
             "overdue": v.overdue} for v in rows]  # fmt: skip


class VoteIn(Input):
    helpful: bool = Field(description="Was it helpful? One vote per person; again changes it")


class VotesOut(Schema):
    helpful: bool
    yes: int
    no: int


@router.put("/documents/{document_id}/vote", response=VotesOut,
            summary="“Was this helpful?” on an article you can read")  # fmt: skip
def vote(request: HttpRequest, document_id: int, payload: VoteIn) -> dict[str, Any]:
    doc = path_document(request, document_id)
    mine = actions.vote(caller(request), doc, helpful=payload.helpful)
    counts = doc.votes.aggregate(
        yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False))
    )
    return {"helpful": mine.helpful, "yes": counts["yes"], "no": counts["no"]}
