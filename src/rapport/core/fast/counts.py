"""Several capped counts in one SQL statement.

The desk's sidebar shows every queue's size (and each saved view's) on every page.
Counted one statement each, that is seven or more round trips per page; this
module compiles each queryset's `SELECT id … LIMIT cap` with Django's compiler and
wraps them as scalar subqueries of one `SELECT (SELECT COUNT(*) FROM (…)), …`, so
the sidebar is one statement whatever the number of queues.

It has no off switch: it only composes SQL that Django compiled, and the desk's
query-count tests hold the sidebar to one statement with the fast paths on and off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def capped_counts(querysets: Sequence[QuerySet[Any]], cap: int) -> list[int]:
    """How many rows each queryset has, counting at most `cap` of each."""
    capped = [qs.order_by().values("pk")[:cap] for qs in querysets]
    parts: list[str] = []
    params: list[Any] = []
    for index, qs in enumerate(capped):
        try:
            sql, inner_params = qs.query.get_compiler(connection.alias).as_sql()
        except EmptyResultSet:
            # A filter that can match nothing (`id IN ()`, a person with no team).
            parts.append("0")
            continue
        # Django compiled `sql` from a queryset; values travel separately as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{index})")  # noqa: S608
        params.extend(inner_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]
