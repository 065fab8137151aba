"""Scoped reads of the library.

Who sees what:
- staff see every published (or retired) document; a document's unpublished versions
  only its owner, its approvers, the owning team's staff (its reviewers), managers
  and admins;
- clients, employees and vendor or contractor users see published articles meant
  for them (all clients, or their organisation); employees also see documents
  addressed to all staff; nobody outside staff sees another internal document;
- anyone, signed in or not, sees published articles marked public.
A document or version one may not see is "not found", never "forbidden".
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.core.search import terms
from rapport.directory.models import TeamMembership
from rapport.directory.queries import Scope
from rapport.policies.models import (
    Approver,
    Citation,
    ClientAudience,
    Deflection,
    Document,
    DocumentTag,
    ExceptionStatus,
    Kind,
    PolicyException,
    Proposal,
    ReadTask,
    Status,
    Version,
)
from rapport.tickets.queries import visible_tickets as ticket_visibility

SHOWN = (Status.PUBLISHED, Status.RETIRED)
UNPUBLISHED = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)


def _client_articles(scope: Scope) -> Q:
    parties = scope.client_party_ids | scope.provider_org_party_ids
    return Q(kind=Kind.ARTICLE) & (
        Q(client_audience=ClientAudience.ALL)
        | Q(client_audience=ClientAudience.CHOSEN, client_orgs__party_id__in=parties)
    )


def visible_documents(scope: Scope) -> QuerySet[Document]:
    # Lists need neither the search text nor the published body: leave them in the table.
    qs = Document.objects.select_related("owner", "team", "published").defer(
        "search_text", "published__body_md", "published__body_html"
    )
    if scope.sees_everything:
        return qs
    if scope.is_staff:
        return qs.filter(
            Q(published__isnull=False)
            | Q(owner_id=scope.person_id)
            | Q(team__party_id__in=scope.team_party_ids)
            | Exists(
                Approver.objects.filter(document=OuterRef("pk"), person_id=scope.person_id or 0)
            )
        )
    live = Q(published__isnull=False, status=Status.PUBLISHED)
    if scope.person_id is None:
        return qs.filter(live, kind=Kind.ARTICLE, is_public=True)
    seen = Q(is_public=True, kind=Kind.ARTICLE) | _client_articles(scope)
    if scope.is_employee:
        seen |= Q(all_staff=True)
    # The chosen-organisations join can repeat a row: filter by id instead of DISTINCT.
    ids = Document.objects.filter(live & seen).values("pk")
    return qs.filter(pk__in=ids)


def may_see_drafts(scope: Scope, document: Document, approver_ids: set[int] | None = None) -> bool:
    if not scope.is_staff:
        return False
    if scope.sees_everything or document.owner_id == scope.person_id:
        return True
    if document.team.party_id in scope.team_party_ids:
        return True
    if approver_ids is None:
        approver_ids = set(document.approvers.values_list("person_id", flat=True))
    return scope.person_id in approver_ids


def may_edit(scope: Scope, document: Document) -> bool:
    return scope.is_staff and (scope.sees_everything or document.owner_id == scope.person_id)


def get_document(scope: Scope, pk: int) -> Document:
    document = visible_documents(scope).filter(pk=pk).first()
    if document is None:
        raise NotFound(f"There is no document {pk} you can see.")
    return document


def visible_versions(scope: Scope, document: Document) -> QuerySet[Version]:
    qs = document.versions.select_related("author").order_by("-number")
    if may_see_drafts(scope, document):
        return qs
    if not scope.is_staff:
        return qs.filter(pk=document.published_id or 0)
    return qs.filter(status__in=SHOWN)


def get_version(scope: Scope, document: Document, number: int) -> Version:
    version = visible_versions(scope, document).filter(number=number).first()
    if version is None:
        raise NotFound(f"There is no version {number} of this document you can see.")
    return version


def latest_version(document: Document) -> Version | None:
    return document.versions.order_by("-number").first()


def library(
    scope: Scope,
    *,
    q: str = "",
    kind: str = "",
    status: str = "",
    tag: str = "",
    owner: int | None = None,
    team: int | None = None,
) -> QuerySet[Document]:
    qs = visible_documents(scope)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if tag:
        qs = qs.filter(pk__in=DocumentTag.objects.filter(name=tag.lower()).values("document_id"))
    if owner:
        qs = qs.filter(owner_id=owner)
    if team:
        qs = qs.filter(Q(all_staff=True) | Q(audience_teams__id=team)).distinct()
    return search(qs, q)


SQLITE_IDS = "SELECT rowid FROM policies_document_fts WHERE policies_document_fts MATCH %s"
# OFFSET 0 keeps the match a subquery of its own, read from the GIN index once. Without
# it PostgreSQL (which underprices to_tsvector, see core.search) walked the library in
# title order and parsed every document's text again: 1.7 s for a word in a fifth of
# 10,000 documents, about 35 ms with it (bench/policies.py). What is left is mostly the
# index's recheck, which parses each candidate's text; a stored vector column would
# save it, but the planner then prefers a sequential scan that detoasts every vector
# (about 100 ms), so that needs more than a column.
POSTGRES_IDS = (
    "SELECT id FROM policies_document WHERE to_tsvector('simple'::regconfig, search_text) "
    "@@ to_tsquery('simple'::regconfig, %s) OFFSET 0"
)


def search(qs: QuerySet[Document], text: str, *, any_word: bool = False) -> QuerySet[Document]:
    """Documents of `qs` matching every word of `text` as a prefix (any word with
    `any_word`, for suggestions from a ticket's text), through the same full-text
    engines as ticket search (`core.search`): FTS5 on SQLite, a GIN index on PostgreSQL."""
    words = terms(text)
    if not words:
        return qs
    if connection.vendor == "postgresql":
        query = (" | " if any_word else " & ").join(f"{w}:*" for w in words)
        sql = POSTGRES_IDS
    else:
        query = (" OR " if any_word else " ").join(f'"{w}"*' for w in words)
        sql = SQLITE_IDS
    return qs.filter(pk__in=RawSQL(sql, (query,)))  # noqa: S611 (constant SQL, words a parameter)


# Best matches first, by each engine's own relevance: FTS5's bm25 (lower is better) and
# PostgreSQL's ts_rank (higher is better). The ranked candidates are the published
# documents of the wanted kinds; visibility is applied to them after, so a reader whose
# documents are all outside the first CANDIDATES matches sees fewer suggestions.
CANDIDATES = 200
SQLITE_RANKED = (
    "SELECT f.rowid FROM policies_document_fts f JOIN policies_document d ON d.id = f.rowid "
    "WHERE policies_document_fts MATCH %s AND d.status = 'published' AND d.kind IN (%s, %s) "
    "ORDER BY bm25(policies_document_fts), f.rowid DESC LIMIT %s"
)
POSTGRES_RANKED = (
    "SELECT id FROM policies_document, to_tsquery('simple'::regconfig, %s) query "
    "WHERE to_tsvector('simple'::regconfig, search_text) @@ query AND status = 'published' "
    "AND kind IN (%s, %s) ORDER BY ts_rank(to_tsvector('simple'::regconfig, search_text), "
    "query) DESC, id DESC LIMIT %s"
)


def ranked_ids(text: str, kinds: tuple[str, ...], limit: int = CANDIDATES) -> list[int]:
    """Published documents of `kinds` matching any word of `text`, most relevant first."""
    words = terms(text)
    if not words or not kinds:
        return []
    pair = (kinds[0], kinds[-1])  # the statements name two kinds; one is named twice
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = " | ".join(f"{w}:*" for w in words)
            cursor.execute(POSTGRES_RANKED, [query, *pair, limit])
        else:
            query = " OR ".join(f'"{w}"*' for w in words)
            cursor.execute(SQLITE_RANKED, [query, *pair, limit])
        return [row[0] for row in cursor.fetchall()]


def ranked(
    qs: QuerySet[Document], text: str, kinds: tuple[str, ...], limit: int = 5
) -> list[Document]:
    """The documents of `qs` best matching `text`, in the engine's order of relevance."""
    ids = ranked_ids(text, kinds)
    if not ids:
        return []
    position = {pk: i for i, pk in enumerate(ids)}
    rows = list(qs.filter(pk__in=ids))
    return sorted(rows, key=lambda d: position[d.pk])[:limit]


def suggestions(scope: Scope, text: str, limit: int = 5) -> list[Document]:
    """Published articles and procedures matching a ticket's words, most relevant first."""
    kinds = (Kind.ARTICLE.value, Kind.PROCEDURE.value)
    return ranked(visible_documents(scope), text, kinds, limit)


def proposals_of(document: Document) -> QuerySet[Proposal]:
    return document.proposals.select_related("proposer", "ticket", "version").annotate(
        exception_count=Count("exceptions")
    )


def visible_proposals(scope: Scope) -> QuerySet[Proposal]:
    """Staff see the proposals of documents they see; others only their own."""
    qs = Proposal.objects.select_related("document", "proposer", "ticket", "version")
    if scope.sees_everything:
        return qs
    if scope.is_staff:
        return qs.filter(document__in=visible_documents(scope).values("pk"))
    if scope.person_id is None:
        return qs.none()
    return qs.filter(proposer_id=scope.person_id)


def get_proposal(scope: Scope, pk: int) -> Proposal:
    proposal = visible_proposals(scope).filter(pk=pk).first()
    if proposal is None:
        raise NotFound(f"There is no proposal {pk} you can see.")
    return proposal


def recent_exceptions(document: Document, days: int = 90) -> QuerySet[PolicyException]:
    since = clock.now() - timedelta(days=days)
    return document.exceptions.filter(created_at__gte=since).select_related(
        "ticket", "agent", "approver", "document"
    )


def citing(document: Document) -> QuerySet[Citation]:
    return document.citations.select_related("ticket", "person")


def my_reading(person_id: int) -> QuerySet[ReadTask]:
    return (
        ReadTask.objects.filter(person_id=person_id, acknowledged_at__isnull=True)
        .select_related("version__document")
        .order_by("due_at", "id")
    )


def reviews_due(person_id: int, *, within_days: int = 30) -> QuerySet[Document]:
    """The owner's documents whose periodic review is due within `within_days` or overdue."""
    horizon = clock.now() + timedelta(days=within_days)
    return Document.objects.filter(
        owner_id=person_id, status=Status.PUBLISHED, next_review_at__lte=horizon
    ).order_by("next_review_at", "id")


def tasks_by_version(version: Version) -> dict[str, int]:
    counts = version.read_tasks.aggregate(
        total=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    return {"total": counts["total"] or 0, "done": counts["done"] or 0}


def deflections(document_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per article: how often it was opened from the new-request form, and how often the
    person then left without raising the request (one query for any number)."""
    rows = (
        Deflection.objects.filter(document_id__in=document_ids)
        .values("document_id")
        .annotate(opened=Count("id"), deflected=Count("id", filter=Q(deflected=True)))
    )
    return {r["document_id"]: {"opened": r["opened"], "deflected": r["deflected"]} for r in rows}


def awaiting_approval(person_id: int) -> QuerySet[PolicyException]:
    """Exceptions beyond a policy's autonomy that wait for this person's decision."""
    return (
        PolicyException.objects.filter(approver_id=person_id, status=ExceptionStatus.PENDING)
        .select_related("ticket", "agent", "document")
        .order_by("created_at", "id")
    )


def decided_by(person_id: int, days: int = 90) -> QuerySet[PolicyException]:
    since = clock.now() - timedelta(days=days)
    return (
        PolicyException.objects.filter(
            approver_id=person_id, decided_at__gte=since,
            status__in=(ExceptionStatus.APPROVED, ExceptionStatus.DECLINED),
        )
        .select_related("ticket", "agent", "document")
        .order_by("-decided_at", "-id")
    )  # fmt: skip


def visible_exceptions(scope: Scope) -> QuerySet[PolicyException]:
    """Exceptions are staff knowledge: on documents the person sees and tickets they see."""
    if not scope.is_staff:
        return PolicyException.objects.none()
    qs = PolicyException.objects.select_related("ticket", "agent", "approver", "document")
    if scope.sees_everything:
        return qs
    return qs.filter(
        document_id__in=visible_documents(scope).values("pk"),
        ticket_id__in=ticket_visibility(scope).values("pk"),
    )


def get_exception(scope: Scope, pk: int) -> PolicyException:
    found = visible_exceptions(scope).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"There is no exception {pk} you can see.")
    return found


def overdue_reads_of_team(team_id: int) -> QuerySet[ReadTask]:
    members = TeamMembership.objects.filter(team_id=team_id, person__is_active=True)
    return overdue_reads(list(members.values_list("person_id", flat=True)))


def overdue_reads(person_ids: list[int]) -> QuerySet[ReadTask]:
    """Open read tasks past their due time, of the given people."""
    return (
        ReadTask.objects.filter(
            person_id__in=person_ids, acknowledged_at__isnull=True, due_at__lt=clock.now()
        )
        .select_related("person", "version__document")
        .order_by("due_at", "id")
    )


def reviews_due_of_team(team_id: int, *, within_days: int = 14) -> QuerySet[Document]:
    """A team's published documents whose periodic review is due soon or overdue."""
    horizon = clock.now() + timedelta(days=within_days)
    return (
        Document.objects.filter(team_id=team_id, status=Status.PUBLISHED,
                                next_review_at__lte=horizon)
        .select_related("owner")
        .defer("search_text")
        .order_by("next_review_at", "id")
    )  # fmt: skip


def acknowledgement_by_team(scope: Scope) -> list[dict[str, object]]:
    """Per team the person may measure (all for managers and admins, their own teams for
    other staff): read tasks of its members for the must-read versions in force (the
    published ones), how many are acknowledged (the %), and how many are overdue."""
    if not scope.is_staff:
        return []
    now = clock.now()
    memberships = TeamMembership.objects.all()
    if not scope.sees_everything:
        memberships = memberships.filter(team__party_id__in=scope.team_party_ids)
    rows = (
        memberships.filter(
            person__read_tasks__version__status=Status.PUBLISHED, person__is_active=True
        )
        .values("team_id", "team__name")
        .annotate(
            assigned=Count("person__read_tasks"),
            acknowledged=Count(
                "person__read_tasks", filter=Q(person__read_tasks__acknowledged_at__isnull=False)
            ),
            overdue=Count(
                "person__read_tasks",
                filter=Q(person__read_tasks__acknowledged_at__isnull=True,
                         person__read_tasks__due_at__lt=now),
            ),
        )
        .order_by("team__name", "team_id")
    )  # fmt: skip
    return [
        {"team": r["team_id"], "name": r["team__name"], "assigned": r["assigned"],
         "acknowledged": r["acknowledged"], "overdue": r["overdue"],
         "percent": round(100 * r["acknowledged"] / r["assigned"]) if r["assigned"] else None}
        for r in rows
    ]  # fmt: skip
