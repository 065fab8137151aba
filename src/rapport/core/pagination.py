"""Cursor (keyset) pagination: constant cost at any depth, stable while rows change."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from rapport.core.errors import Invalid

M = TypeVar("M", bound=Model)
MAX_TEXT_KEY = 1000  # longer than any sortable text column (a subject is at most 300)


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
    any_of: Sequence[Q] | None = None,
    fetch: Callable[[QuerySet[M]], QuerySet[M]] | None = None,
    is_text: bool = False,
) -> tuple[list[M], str | None]:
    """One page ordered by (field, id) and the cursor of the next page (None at the end).

    `field` is a datetime column (`is_datetime`), a text one (`is_text`; never
    null) or an integer one; it may be an annotation of `qs`, which `fetch` then
    keeps.

    With `fetch`, the page's keys are found first, on `qs` alone, and then only
    those rows are read through `fetch`, which adds the joins. Found in one
    statement, a page joined to six tables takes PostgreSQL longer to plan than
    to run (the join order search grows with every table and index), and SQLite
    joins every candidate row before it sorts.

    `any_of` names conditions one of which every row of `qs` meets (`qs` applies
    them already): each one's page is found on its own index and the union of
    those pages sorted, where SQLite, given their OR, collects and sorts every
    matching row.
    """
    if cursor:
        value, last_id = _decode(cursor)
        try:
            if is_datetime:
                value = datetime.fromisoformat(value)
            if is_text and (type(value) is not str or len(value) > MAX_TEXT_KEY):
                raise ValueError(value)
            # Anything but a 64-bit integer would reach the database as the wrong type.
            for number in [last_id] if is_datetime or is_text else [value, last_id]:
                if type(number) is not int or not -(2**63) <= number < 2**63:
                    raise ValueError(number)
        except (TypeError, ValueError):
            raise Invalid("The cursor is not one this API gave out.", field="cursor")
        op = "lt" if descending else "gt"
        # (field, pk) beyond the cursor; the first term alone bounds an index range.
        qs = qs.filter(
            Q(**{f"{field}__{op}e": value}),
            Q(**{f"{field}__{op}": value}) | Q(**{f"pk__{op}": last_id}),
        )
    order = [f"-{field}", "-pk"] if descending else [field, "pk"]
    if fetch is None:
        rows = list(qs.order_by(*order)[: limit + 1])
    else:
        keys = list(_page_keys(qs, order, limit + 1, any_of or ()))
        place = {key: index for index, key in enumerate(keys)}
        found = fetch(qs.model._default_manager.filter(pk__in=keys).order_by())
        rows = sorted(found, key=lambda row: place[row.pk])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode([getattr(last, field), last.pk])
    return rows, next_cursor


def _page_keys(qs: QuerySet[M], order: list[str], size: int, any_of: Sequence[Q]) -> QuerySet[Any]:
    """The primary keys of one page of `qs`, in page order."""
    if len(any_of) > 1:
        pages = [qs.filter(part).order_by(*order).values("pk")[:size] for part in any_of]
        # SQLite refuses a LIMIT directly inside UNION: each page sits in an IN.
        wrapped = [
            qs.model._default_manager.filter(pk__in=p).order_by().values("pk") for p in pages
        ]
        qs = qs.model._default_manager.filter(pk__in=wrapped[0].union(*wrapped[1:], all=True))
    return qs.order_by(*order).values_list("pk", flat=True)[:size]
