"""Cursor (keyset) pagination: constant cost at any depth, stable while rows change."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from rapport.core.errors import Invalid

M = TypeVar("M", bound=Model)


def _encode(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("The cursor is not one this API gave out.", field="cursor")
    if not isinstance(values, list) or len(values) != 2:
        raise Invalid("The cursor is not one this API gave out.", field="cursor")
    return values


def paginate(
    qs: QuerySet[M],
    *,
    field: str,
    descending: bool,
    cursor: str | None,
    limit: int,
    is_datetime: bool = False,
) -> tuple[list[M], str | None]:
    """One page ordered by (field, id) and the cursor of the next page (None at the end)."""
    if cursor:
        value, last_id = _decode(cursor)
        try:
            if is_datetime:
                value = datetime.fromisoformat(value)
            last_id = int(last_id)
        except (TypeError, ValueError):
            raise Invalid("The cursor is not one this API gave out.", field="cursor")
        op = "lt" if descending else "gt"
        qs = qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": last_id}))
    order = [f"-{field}", "-pk"] if descending else [field, "pk"]
    rows = list(qs.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode([getattr(last, field), last.pk])
    return rows, next_cursor
