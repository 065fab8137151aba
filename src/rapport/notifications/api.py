"""Your in-app notifications: list them, mark them read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.core.pagination import paginate
from rapport.core.schemas import LIMIT
from rapport.directory.models import Person
from rapport.notifications import actions
from rapport.notifications.models import Notification
from rapport.notifications.queries import inbox

router = Router(tags=["notifications"])

# Operation ids are pinned to the names they had when notifications lived in core, so
# the published OpenAPI document (and clients generated from it) did not change.


class NotificationOut(Schema):
    id: int
    kind: str
    ticket: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class NotificationParams(Schema):
    unread: bool = False
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = LIMIT


class MarkedAll(Schema):
    marked: int


def _out(n: Notification) -> dict[str, Any]:
    return {"id": n.pk, "kind": n.kind, "ticket": n.ticket_id, "text": n.text,
            "created_at": n.created_at, "read_at": n.read_at}  # fmt: skip


@router.get("/notifications", response=NotificationPage, summary="Your notifications",
            operation_id="rapport_core_notifications_api_list_notifications")  # fmt: skip
def list_notifications(request: HttpRequest, params: Query[NotificationParams]) -> dict[str, Any]:
    me = cast(Person, request.user)
    items, cursor = paginate(
        inbox(me, unread_only=params.unread), field="created_at",
        is_datetime=True, descending=True, cursor=params.cursor, limit=params.limit,
    )  # fmt: skip
    unread = inbox(me, unread_only=True).count()
    return {"items": [_out(n) for n in items], "unread": unread, "next_cursor": cursor}


@router.post("/notifications/{notification_id}/read", response=NotificationOut,
             summary="Mark one of your notifications read",
             operation_id="rapport_core_notifications_api_read_notification")  # fmt: skip
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _out(actions.mark_read(cast(Person, request.user), notification_id))


@router.post("/notifications/read", response=MarkedAll, summary="Mark all your notifications read",
             operation_id="rapport_core_notifications_api_read_all_notifications")  # fmt: skip
def read_all_notifications(request: HttpRequest) -> dict[str, int]:
    return {"marked": actions.mark_all_read(cast(Person, request.user))}
