"""Reads of the desk: the queues an agent works, their counts, one page of a queue.

Every queue is a subset of what the agent may see (`tickets.queries.visibility`):
tickets assigned to them, or provided by one of their teams (admins and managers
outside any team see every provider's). So a queue is one indexed condition, not
the OR of every way of seeing a ticket, and its first page reads one index in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import QueryDict

from rapport.core import clock, search
from rapport.core.choices import ACTIVE_CATEGORIES, Clock, StatusCategory
from rapport.core.fast.counts import capped_counts
from rapport.core.fast.prepared import Prepared
from rapport.core.pagination import paginate
from rapport.desk.models import SavedView
from rapport.desk.queries import figures
from rapport.desk.queries.thread import display_name
from rapport.directory.models import Party, PartyKind, Person
from rapport.directory.queries import Scope, provider_parties
from rapport.policies.models import Proposal, ProposalStatus
from rapport.sla.models import LIVE_STATES, TicketClock
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket, TicketTag

# Counts stop here ("999+"): a count reads at most CAP + 1 index entries, so a
# sidebar costs the same at a thousand tickets or a million (see queue_counts).
CAP = 999
PAGE_SIZE = 25  # as the API's lists; a desk screen shows about this many rows
RECENTLY = timedelta(days=7)


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    empty: str


QUEUES = (
    Queue("mine", "My open tickets", "Nothing assigned to you is open. Well done."),
    Queue("unassigned", "Unassigned in my teams", "Every open ticket of your teams has an owner."),
    Queue("team", "All open in my teams", "Your teams have no open tickets."),
    Queue("pending", "Pending on client", "No ticket is waiting for a client's answer."),
    Queue("hold", "On hold", "No ticket is on hold."),
    Queue("solved", "Recently solved", "Nothing was solved in the last seven days."),
    # Every status, closed ones too: where a search and the dashboard's figures land.
    Queue("all", "All tickets", "No ticket matches."),
)
QUEUE_BY_SLUG = {q.slug: q for q in QUEUES}


@dataclass(frozen=True)
class Sort:
    """A sortable column: the ticket's field, or an expression named `field` (on a
    joined table); pages of every sort are keyset pages on (field, id), no OFFSET."""

    field: str
    kind: str = "int"  # "int", "datetime" or "text"
    expression: Any = None
    newest_first: bool = False  # the direction a first click sorts in


# The first four walk an index in a queue's order; a sort by a text column reads
# the queue's rows and sorts them, as an agent does now and then, not all day.
SORTS = {
    "updated": Sort("updated_at", "datetime", newest_first=True),
    "created": Sort("created_at", "datetime", newest_first=True),
    "priority": Sort("priority"),
    "number": Sort("id"),
    "subject": Sort("subject", "text"),
    "status": Sort("sort_status", "text", F("status__name")),
    "client": Sort("sort_client", "text", F("client_party__name")),
    # Person.display_name as SQL (full name, else first and last, else username);
    # nobody sorts first.
    "assignee": Sort(
        "sort_assignee",
        "text",
        Coalesce(
            NullIf(F("assignee__full_name"), Value("")),
            NullIf(
                Trim(Concat(F("assignee__first_name"), Value(" "), F("assignee__last_name"))),
                Value(""),
            ),
            F("assignee__username"),
            Value(""),
        ),
    ),
}
DEFAULT_SORT = "-updated"


def team_parties(scope: Scope) -> list[int] | None:
    """The providers whose work the person's team queues show; None: every provider."""
    if scope.team_party_ids:
        return sorted(scope.team_party_ids)
    if scope.sees_everything:
        return None
    return []


def _providers(scope: Scope) -> Q:
    teams = team_parties(scope)
    if teams is None:
        return Q()
    if len(teams) == 1:
        return Q(provider_party_id=teams[0])
    return Q(provider_party_id__in=teams)


def queue_filter(scope: Scope, slug: str, now: datetime) -> Q:
    if not scope.is_staff:
        return Q(pk__in=[])
    if slug == "mine":
        return Q(assignee_id=scope.person_id, status_category=StatusCategory.OPEN)
    teams = _providers(scope)
    if slug == "unassigned":
        return teams & Q(status_category=StatusCategory.OPEN, assignee__isnull=True)
    if slug == "team":
        return teams & Q(status_category=StatusCategory.OPEN)
    if slug == "pending":
        return teams & Q(status_category=StatusCategory.PENDING_CLIENT)
    if slug == "hold":
        return teams & Q(status_category=StatusCategory.ON_HOLD)
    if slug == "solved":
        return teams & Q(status_category=StatusCategory.SOLVED, updated_at__gte=now - RECENTLY)
    if slug == "all":
        return (teams | Q(assignee_id=scope.person_id)) if teams else Q()
    raise KeyError(slug)


# Queues whose tickets are all unsolved: their status filter offers no solved or
# closed status (it would always find nothing).
ACTIVE_QUEUES = frozenset({"mine", "unassigned", "team", "pending", "hold"})


def queue_counts(
    scope: Scope, now: datetime, views: list[SavedView] | None = None
) -> dict[str, int]:
    """Every queue's size up to CAP + 1, and each saved view's, in one SQL statement.

    Each count is `SELECT COUNT(*) FROM (SELECT id … LIMIT CAP+1)` on the queue's
    own index, so it reads at most CAP + 1 entries however many tickets match:
    the sidebar costs the same at a thousand tickets or a million, and needs no
    counters kept by every writer (which would put one hot row under every
    ticket change of a team). An agent needs "how much is waiting", and past a
    thousand the exact number changes no decision.

    A view's count is keyed `view:<id>`; only the first MAX_VIEW_COUNTS views are
    counted. Its filters narrow the queue's rows, so a count may read more than
    CAP + 1 of them to find CAP + 1 matches; at most the queue's.
    """
    counted: list[tuple[str, QuerySet[Ticket]]] = [
        (queue.slug, Ticket.objects.filter(queue_filter(scope, queue.slug, now)))
        for queue in QUEUES
    ]
    for view in (views or [])[:MAX_VIEW_COUNTS]:
        if view.queue in QUEUE_BY_SLUG:
            counted.append((f"view:{view.pk}", _view_rows(scope, view, now)))
    counts = capped_counts([qs for _, qs in counted], CAP + 1)
    return {key: n for (key, _), n in zip(counted, counts, strict=True)}


MAX_VIEW_COUNTS = 20


def view_filters(query: str) -> Filters:
    """A saved view's filters from its query string; a value that no longer reads
    (say, a priority renamed) is left out, as the queue page leaves out a bad field."""
    params = QueryDict(query)

    def number(key: str) -> int | None:
        value = params.get(key, "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    assignee = params.get("assignee", "")
    if not (assignee in ("me", "none") or (assignee.isdigit() and len(assignee) < 19)):
        assignee = ""
    return Filters(
        status=params.get("status", "")[:40] or None,
        priority=number("priority"),
        provider=number("provider"),
        assignee=assignee or None,
        tag=params.get("tag", "").strip().lower()[:64] or None,
        client=number("client"),
        text=params.get("q", "")[:200] or None,
        **figure_filters(params),
    )


# The dashboard's figures as queue filters, and the values each one takes.
FIGURES = {
    "created": ("today", "week", "month"),
    "solved": ("today", "week", "month"),
    "breached": ("any", "sla", "ola", "uc"),
    "near": ("any", "sla", "ola", "uc"),
    "proposal": ("open",),
    "state": ("unsolved",),
}


def figure_filters(params: Any) -> dict[str, str | None]:
    """The figure filters of a query string; an unknown value is left out."""
    return {key: (params.get(key) if params.get(key) in values else None)
            for key, values in FIGURES.items()}  # fmt: skip


def _view_rows(scope: Scope, view: SavedView, now: datetime) -> QuerySet[Ticket]:
    filters = view_filters(view.query)
    qs = _filtered(
        Ticket.objects.filter(queue_filter(scope, view.queue, now)),
        scope,
        # The search below, without filter_matching's question of how many match.
        Filters(**{**filters.__dict__, "text": None}),
    )
    ids = search.ids_matching(filters.text or "")
    return qs if ids is None else qs.filter(pk__in=ids)


def _filtered(qs: QuerySet[Ticket], scope: Scope, filters: Filters) -> QuerySet[Ticket]:
    qs = _figures(qs, filters)
    return ticket_queries.filter_tickets(
        qs,
        status=filters.status,
        priority=filters.priority,
        provider=filters.provider,
        client=filters.client,
        assignee=filters.assignee,
        me=scope.person_id,
        tag=filters.tag,
        text=filters.text,
    )


def _figures(qs: QuerySet[Ticket], filters: Filters) -> QuerySet[Ticket]:
    """The dashboard's figures as conditions (the same rules as `queries.dashboard`)."""
    now = clock.now()
    starts = figures.periods(now)
    if filters.created:
        qs = qs.filter(created_at__gte=starts[filters.created])
    if filters.solved:
        qs = qs.filter(solved_at__gte=starts[filters.solved])
    for key, rule, live in (("breached", figures.breached_clock, filters.created is None),
                            ("near", figures.near_clock, True)):  # fmt: skip
        kind = getattr(filters, key)
        if not kind:
            continue
        clocks = TicketClock.objects.filter(rule(now))
        if live:
            clocks = clocks.filter(state__in=LIVE_STATES)
        if kind != "any":
            clocks = clocks.filter(agreement__kind=kind)
        if filters.created:
            clocks = clocks.filter(kind__in=[Clock.FIRST_RESPONSE, Clock.RESOLUTION])
        qs = qs.filter(pk__in=clocks.values("ticket_id"))
    if filters.state:
        qs = qs.filter(status_category__in=ACTIVE_CATEGORIES)
    if filters.proposal:
        open_proposals = Proposal.objects.filter(status=ProposalStatus.OPEN)
        qs = qs.filter(pk__in=open_proposals.values("ticket_id"))
    return qs


def show_count(count: int) -> str:
    return f"{CAP}+" if count > CAP else str(count)


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    priority: int | None = None
    provider: int | None = None
    assignee: str | None = None  # "me", "none" or a person id
    tag: str | None = None
    client: int | None = None
    text: str | None = None
    # The dashboard's figures (see FIGURES): a period, a clock state, a proposal.
    created: str | None = None
    solved: str | None = None
    breached: str | None = None
    near: str | None = None
    proposal: str | None = None
    state: str | None = None

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in self.__dict__.values())


def queue_page(
    scope: Scope,
    slug: str,
    *,
    filters: Filters,
    sort: str,
    cursor: str | None,
    now: datetime,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a queue, filtered and sorted: the values each row shows."""
    qs = _filtered(Ticket.objects.filter(queue_filter(scope, slug, now)), scope, filters)
    order = SORTS[sort.lstrip("-")]
    field = order.field
    if order.expression is not None:
        qs = qs.annotate(**{field: order.expression})

    def fetch(page: QuerySet[Ticket]) -> QuerySet[Ticket]:
        # Only what the cursor needs: the rows' values come next, without building
        # seven model instances per row (which cost more than all of the page's SQL).
        if order.expression is None:
            return page.only("pk", field)
        return page.annotate(**{field: order.expression}).only("pk")

    keys, next_cursor = paginate(
        qs,
        field=field,
        descending=sort.startswith("-"),
        cursor=cursor,
        limit=limit or PAGE_SIZE,
        is_datetime=order.kind == "datetime",
        is_text=order.kind == "text",
        # A joined column's order is no index's: nothing to gain from reading by part.
        any_of=_parts(scope, slug, filters) if order.expression is None else None,
        fetch=fetch,
    )
    return row_values([t.pk for t in keys]), next_cursor


ROW_FIELDS = (
    "id", "subject", "status_category", "priority", "updated_at", "status__name",
    "provider_party__name", "client_party__name",
    "requester__full_name", "requester__first_name", "requester__last_name",
    "requester__username",
    "assignee_id", "assignee__full_name", "assignee__first_name", "assignee__last_name",
    "assignee__username",
)  # fmt: skip


def row_values(numbers: list[int]) -> list[dict[str, Any]]:
    """What a queue row shows of each ticket, in the order given, with its tags."""
    if not numbers:
        return []
    found = {
        row["id"]: row
        for row in Ticket.objects.filter(pk__in=numbers).order_by().values(*ROW_FIELDS)
    }
    tags: dict[int, list[str]] = {}
    for ticket_id, name in (
        TicketTag.objects.filter(ticket_id__in=numbers)
        .order_by("tag__name")
        .values_list("ticket_id", "tag__name")
    ):
        tags.setdefault(ticket_id, []).append(name)
    rows = []
    for number in numbers:
        row = found.get(number)
        if row is not None:
            row["tags"] = tags.get(number, [])
            row["requester"] = display_name(row, "requester")
            row["assignee"] = display_name(row, "assignee") if row["assignee_id"] else ""
            rows.append(row)
    return rows


def _parts(scope: Scope, slug: str, filters: Filters) -> list[Q] | None:
    """Several teams on SQLite: each team's page read on its own index, then merged
    (`paginate(any_of=…)`); SQLite would otherwise sort all of the teams' tickets.
    PostgreSQL merges the index ranges of an IN list itself."""
    teams = team_parties(scope)
    if connection.vendor != "sqlite" or slug == "mine" or filters.provider:
        return None
    if teams is None or len(teams) < 2:
        return None
    return [Q(provider_party_id=party) for party in teams]


def saved_views(person: Person) -> QuerySet[SavedView]:
    return SavedView.objects.filter(owner=person).order_by("name", "id")


def provider_choices(scope: Scope) -> list[Party]:
    """Teams, vendors and contractors, for the provider filter."""
    return _providers_list(None)


@Prepared
def _providers_list(_: None) -> QuerySet[Party]:
    """The filter form's lists are read on every queue page: prepared once."""
    return provider_parties()


def client_parties() -> QuerySet[Party]:
    """Whom tickets are raised for: customers, our teams, contractors (not vendors).
    Staff may filter by any of them, as they may see the tickets' clients."""
    return Party.objects.exclude(kind__in=(PartyKind.VENDOR,)).order_by("name", "id")


SUGGESTIONS = 10


def client_suggestions(scope: Scope, typed: str) -> list[Party]:
    """Clients whose name holds what was typed, those starting with it first."""
    typed = " ".join(typed.split())[:200]
    if not typed:
        return []
    starting = list(client_parties().filter(name__istartswith=typed)[:SUGGESTIONS])
    if len(starting) == SUGGESTIONS:
        return starting
    inside = client_parties().filter(name__icontains=typed).exclude(name__istartswith=typed)
    return starting + list(inside[: SUGGESTIONS - len(starting)])


def staff_choices(scope: Scope) -> list[Person]:
    """Staff who can be assigned tickets of the person's teams."""
    teams = team_parties(scope)
    if teams is not None and not teams:
        return []  # a person in no team assigns no one (and `IN ()` cannot be prepared)
    return _staff(None if teams is None else tuple(teams))


@Prepared
def _staff(teams: tuple[int, ...] | None) -> QuerySet[Person]:
    qs = Person.objects.filter(is_active=True).exclude(staff_role="")
    if teams is not None:
        qs = qs.filter(team_memberships__team__party_id__in=teams).distinct()
    return qs.order_by("full_name", "username", "id")
