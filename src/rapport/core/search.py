"""One full-text search interface over SQLite FTS5 and PostgreSQL text search.

Callers get a subquery of matching ticket ids to combine with their own
filters and scoping; the index itself is maintained by the database (FTS5
triggers, a GIN expression index) from the tickets' SearchDocument rows.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(text: str) -> list[str]:
    """Words of a query; punctuation and operators are dropped, so no input is a syntax error."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_TERMS]


def matching_ticket_ids(text: str) -> RawSQL | None:
    """SQL for ids of tickets matching every word (as a prefix); None when no words."""
    words = terms(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return RawSQL(
            "SELECT ticket_id FROM tickets_searchdocument "
            "WHERE to_tsvector('simple'::regconfig, body) @@ to_tsquery('simple'::regconfig, %s)",
            (query,),
        )
    query = " ".join(f'"{w}"*' for w in words)
    return RawSQL(
        "SELECT rowid FROM tickets_search_fts WHERE tickets_search_fts MATCH %s", (query,)
    )
