"""One full-text search interface over SQLite FTS5 and PostgreSQL text search.

Callers narrow their own (scoped, filtered) ticket queryset with
`filter_matching`, or get a subquery of matching ticket ids; the index itself
is maintained by the database (FTS5 triggers, a GIN expression index) from
the tickets' SearchDocument rows.
"""

from __future__ import annotations

import math
import re
from typing import TypeVar

from django.db import connection
from django.db.models import F, Func, IntegerField, Model, QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
M = TypeVar("M", bound=Model)

SQLITE_IDS = "SELECT rowid FROM tickets_search_fts WHERE tickets_search_fts MATCH %s"
POSTGRES_IDS = (
    "SELECT ticket_id FROM tickets_searchdocument "
    "WHERE to_tsvector('simple'::regconfig, body) @@ to_tsquery('simple'::regconfig, %s)"
)
# A page of results is what a list needs; below, the cost of finding one page by
# walking the list in order and checking each ticket, against reading every match.
PAGE = 26
SQLITE_FREQUENT = 2_000
# PostgreSQL computes to_tsvector afresh for each ticket it checks (~45 µs for
# a ticket of three messages), some ten times the cost of reading one more match
# from the GIN index, joining it to its ticket and sorting it.
POSTGRES_CHECK_COST = 10


def terms(text: str) -> list[str]:
    """Words of a query; punctuation and operators are dropped, so no input is a syntax error."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_TERMS]


def _query(words: list[str]) -> str:
    if connection.vendor == "postgresql":
        return " & ".join(f"{w}:*" for w in words)
    return " ".join(f'"{w}"*' for w in words)


def _ids(sql: str, words: list[str]) -> RawSQL:
    return RawSQL(sql, (_query(words),))  # noqa: S611 (constant SQL; the words are a parameter)


def ids_matching(text: str) -> RawSQL | None:
    """The ids of the tickets matching `text`, as a subquery (None: no words), without
    asking first how many match: for capped counts, which stop early either way."""
    words = terms(text)
    if not words:
        return None
    return _ids(POSTGRES_IDS if connection.vendor == "postgresql" else SQLITE_IDS, words)


def filter_matching(qs: QuerySet[M], text: str) -> QuerySet[M]:
    """Tickets of `qs` matching every word of `text` (as a prefix); all of `qs` when no words.

    A list wants its first page in its own order (say newest first). When many
    tickets match, the quick way is to walk the list in that order and check each
    ticket until a page is full; when few match, it is to read the matches and
    sort them. Neither engine can tell which from the query (SQLite knows nothing
    of FTS5's hit counts; PostgreSQL's planner estimates the counts well but
    underprices to_tsvector a hundredfold), so this asks how many match and says.
    """
    words = terms(text)
    if not words:
        return qs
    query = _query(words)
    if connection.vendor == "postgresql":
        if _postgres_frequent(query):
            return qs.filter(pk__in=_ids(POSTGRES_IDS, words))
        # OFFSET 0 keeps the match a subquery of its own, read from the index once.
        return qs.filter(pk__in=_ids(POSTGRES_IDS + " OFFSET 0", words))
    ids = _ids(SQLITE_IDS, words)
    if not _sqlite_frequent(query):
        return qs.filter(pk__in=ids)
    # The unary plus stops SQLite from walking the matches as if they were an
    # index; it walks the list's own index and looks each ticket up in them.
    key = Func(F("pk"), template="+%(expressions)s", output_field=IntegerField())
    return qs.alias(search_key=key).filter(search_key__in=ids)


def _sqlite_frequent(query: str) -> bool:
    """Whether SQLITE_FREQUENT tickets match: FTS5 counts them in C, in about a
    millisecond per hundred thousand hits; walking in order then checks fewer
    than PAGE * total / SQLITE_FREQUENT tickets."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({SQLITE_IDS} LIMIT %s)",  # noqa: S608 (constant SQL)
            (query, SQLITE_FREQUENT),
        )
        (count,) = cursor.fetchone()
    return bool(count >= SQLITE_FREQUENT)


def _postgres_frequent(query: str) -> bool:
    """From the planner's estimates (statistics ANALYZE keeps on the index; no scan):
    walking in order checks about PAGE / share tickets, reading matches reads
    share * total, so walking pays once matches² > PAGE * CHECK_COST * total."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ({POSTGRES_IDS}) AS matches "  # noqa: S608
            "UNION ALL SELECT 1 FROM tickets_searchdocument",
            (query,),
        )
        (plan,) = cursor.fetchone()
    matches, total = (part["Plan Rows"] for part in plan[0]["Plan"]["Plans"])
    return bool(matches >= math.sqrt(PAGE * POSTGRES_CHECK_COST * total))
