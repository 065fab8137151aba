"""Reads of tickets with their joins, scoped to what the person may see."""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable
from datetime import datetime
from functools import reduce

from django.db import connection
from django.db.models import BigIntegerField, Prefetch, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from rapport.core import search
from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.fast import reference
from rapport.core.fast.prepared import Prepared
from rapport.directory.models import PartyKind
from rapport.directory.queries import Scope
from rapport.tickets.models import (
    Attachment,
    Event,
    Message,
    PendingReaction,
    Status,
    Tag,
    Ticket,
    TicketTag,
)

# Event kinds a client (or vendor user) may see in a ticket's history.
CLIENT_EVENT_KINDS = frozenset({"created", "status", "reopened", "reply", "merged", "merged_into"})
PROVIDER_EVENT_KINDS = CLIENT_EVENT_KINDS | {"assigned", "priority", "tagged", "untagged"}


def visibility_parts(scope: Scope) -> list[Q] | None:
    """The tickets a person may see, as conditions any one of which is enough; None
    means every ticket. Each part tests one indexed column against one value, so a
    list can read each part on its own index (`paginate(any_of=…)`)."""
    if scope.sees_everything:
        return None
    if scope.person_id is None:
        return [Q(pk__in=[])]
    parts = [Q(requester_id=scope.person_id)]
    if scope.is_staff:
        parts.append(Q(assignee_id=scope.person_id))
        parts += [Q(provider_party_id=party) for party in sorted(scope.team_party_ids)]
        # Requests a team made (hand-offs to other teams and vendors) are team work too.
        parts += [Q(client_party_id=party) for party in sorted(scope.team_party_ids)]
    parts += [Q(provider_party_id=party) for party in sorted(scope.provider_org_party_ids)]
    parts += [Q(client_party_id=party) for party in sorted(scope.admin_org_party_ids)]
    return parts


def list_parts(
    scope: Scope, *, provider: int | None = None, client: int | None = None
) -> list[Q] | None:
    """The parts a list of the tickets a person may see is best read by, if any
    (`paginate(any_of=…)`).

    Each way of seeing tickets has an index in list order. Given their OR, SQLite
    collects and sorts every visible row, so it is given one part at a time.
    PostgreSQL's planner weighs walking the list's order against collecting,
    from its statistics, and chooses well: one pass is cheaper for it. So is a
    list narrowed to a provider the person works for, or to a client whose
    requests they follow: it holds only tickets they see anyway.
    """
    if connection.vendor != "sqlite":
        return None
    if provider is not None and scope.serves(provider):
        return None
    if client is not None and client in scope.admin_org_party_ids:
        return None
    return visibility_parts(scope)


def visibility(scope: Scope) -> Q | None:
    """The tickets a person may see, as a filter; None means every ticket."""
    parts = visibility_parts(scope)
    return None if parts is None else reduce(operator.or_, parts)


def tickets_where(condition: Q | None) -> QuerySet[Ticket]:
    """The tickets a `visibility` condition lets through: a prepared query's key is the
    condition, which people in the same teams share, rather than each one's scope."""
    qs = Ticket.objects.all()
    return qs if condition is None else qs.filter(condition)


def visible_tickets(scope: Scope) -> QuerySet[Ticket]:
    return tickets_where(visibility(scope))


def visible_parents(scope: Scope, tickets: Iterable[Ticket]) -> set[int]:
    """Of these tickets' parents, the ones the person may open (one query at most, none
    when no ticket has a parent). A hand-off's reader learns its parent's number only
    then: a vendor sees what the hand-off shared, not the customer's ticket."""
    wanted = {t.parent_id for t in tickets if t.parent_id is not None}
    if not wanted or scope.sees_everything:
        return wanted
    return set(visible_tickets(scope).filter(pk__in=wanted).values_list("pk", flat=True))


def visible_children(scope: Scope, ticket: Ticket) -> list[int]:
    """Numbers of the ticket's children (hand-offs) the person may see.

    The children are found by `parent_id` in a subquery, so the parent index leads.
    Written as one condition beside the visibility OR, SQLite scanned every ticket
    (40-120 ms at 100,000 tickets for an agent): its statistics count the NULL
    `parent_id` of tickets with no parent as one value shared by all, so the index
    looks as if it matched every row.
    """
    children = Ticket.objects.filter(parent_id=ticket.pk).order_by().values("pk")
    return list(
        visible_tickets(scope).filter(pk__in=children).order_by("id").values_list("id", flat=True)
    )


def with_list_joins(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related(
        "requester", "client_party", "provider_party", "assignee", "status", "agreement"
    ).prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))


def get_ticket(scope: Scope, number: int, *, field: str | None = None, tags: bool = True) -> Ticket:
    """A ticket the person may see, or NotFound (never 403: that would confirm it exists);
    `field` names the request field that gave the number, if any.

    With `tags=False` (a page) the same row also brings the names of its tags and the
    reference-data stamp (`tag_names_of`, `statuses(ticket)`): two round trips fewer
    than a tags prefetch and a status list read, on the page agents open most; and its
    statement is prepared once per person (`core.prepared`)."""
    if tags:
        ticket = with_list_joins(visible_tickets(scope)).filter(pk=number).first()
    elif -(2**63) < number < 2**63:
        found = _page_ticket(visibility(scope), number=number)
        ticket = found[0] if found else None
    else:
        ticket = None  # beyond any key
    if ticket is None:
        raise NotFound(f"There is no ticket #{number} you can see.", field=field)
    return ticket


@Prepared
def _page_ticket(condition: Q | None, *, number: int) -> QuerySet[Ticket]:
    # Both statements are constants of this module, with no input in them.
    names = RawSQL(_TAG_NAMES[connection.vendor], (), output_field=TextField())  # noqa: S611
    stamp = RawSQL(_STAMP, (), output_field=BigIntegerField())  # noqa: S611
    return (
        with_list_joins(tickets_where(condition))
        .prefetch_related(None)
        .annotate(packed_tag_names=names, reference_stamp=stamp)
        .filter(pk=number)
    )


# The ticket's tag names as a JSON array of text, in the ticket's own row. Table names
# are the models' (the outer query's ticket table is never aliased).
_TAG_NAMES = {
    "sqlite": (
        "(SELECT json_group_array(tg.name) FROM tickets_tickettag tt "
        "JOIN tickets_tag tg ON tg.id = tt.tag_id WHERE tt.ticket_id = tickets_ticket.id)"
    ),
    "postgresql": (
        "(SELECT COALESCE(json_agg(tg.name), '[]'::json)::text FROM tickets_tickettag tt "
        "JOIN tickets_tag tg ON tg.id = tt.tag_id WHERE tt.ticket_id = tickets_ticket.id)"
    ),
}
_STAMP = "(SELECT stamp FROM core_referencestamp WHERE id = 1)"


def can_see_internal(scope: Scope, ticket: Ticket) -> bool:
    """Internal notes are our staff's: the providing team, the assignee, admins and
    managers; and, on work we handed to a vendor or contractor, the team that asked
    (the vendor's users are never staff, so they never see them)."""
    if not scope.is_staff:
        return False
    return (
        scope.sees_everything
        or ticket.provider_party_id in scope.team_party_ids
        or ticket.assignee_id == scope.person_id
        or (
            ticket.client_party_id in scope.team_party_ids
            and ticket.provider_party.kind in (PartyKind.VENDOR, PartyKind.CONTRACTOR)
        )
    )


def filter_tickets(
    qs: QuerySet[Ticket],
    *,
    status: str | None = None,
    category: str | None = None,
    priority: int | None = None,
    provider: int | None = None,
    client: int | None = None,
    assignee: str | int | None = None,
    me: int | None = None,
    requester: int | None = None,
    tag: str | None = None,
    text: str | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[Ticket]:
    """`assignee` is "me" (the person `me`), "none" (unassigned) or a person's id."""
    if status:
        qs = qs.filter(status__slug=status)
    if category:
        qs = qs.filter(status_category=category)
    if priority:
        qs = qs.filter(priority=priority)
    if provider:
        qs = qs.filter(provider_party_id=provider)
    if client:
        qs = qs.filter(client_party_id=client)
    if assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=me if assignee == "me" else int(assignee))
    if requester:
        qs = qs.filter(requester_id=requester)
    if tag:
        qs = qs.filter(pk__in=Ticket.tags.through.objects.filter(tag__name=tag).values("ticket_id"))
    if text:
        qs = search.filter_matching(qs, text)
    if updated_since:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def thread(scope: Scope, ticket: Ticket) -> QuerySet[Message]:
    return (
        messages_of(ticket.pk, internal=can_see_internal(scope, ticket))
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )


def messages_of(ticket_id: int, *, internal: bool) -> QuerySet[Message]:
    """A ticket's messages in order; with `internal`, its internal notes too."""
    qs = Message.objects.filter(ticket_id=ticket_id).order_by("created_at", "id")
    return qs if internal else qs.filter(is_internal=False)


def history(scope: Scope, ticket: Ticket) -> QuerySet[Event]:
    return events_of(ticket.pk, history_kinds(scope, ticket)).select_related("actor")


def history_kinds(scope: Scope, ticket: Ticket) -> frozenset[str] | None:
    """The kinds of event the person sees in the ticket's history; None: all of them."""
    if can_see_internal(scope, ticket):
        return None
    return PROVIDER_EVENT_KINDS if scope.serves(ticket.provider_party_id) else CLIENT_EVENT_KINDS


def events_of(ticket_id: int, kinds: frozenset[str] | None) -> QuerySet[Event]:
    qs = Event.objects.filter(ticket_id=ticket_id).order_by("created_at", "id")
    return qs if kinds is None else qs.filter(kind__in=sorted(kinds))


def get_attachment(scope: Scope, attachment_id: int) -> Attachment:
    """An attachment on a message the person may read."""
    attachment = (
        Attachment.objects.select_related("message__ticket")
        .filter(pk=attachment_id, message__isnull=False)
        .first()
    )
    if attachment is None or attachment.message is None:
        raise NotFound("No such attachment.")
    ticket = attachment.message.ticket
    condition = visibility(scope)
    if condition is not None and not Ticket.objects.filter(condition, pk=ticket.pk).exists():
        raise NotFound("No such attachment.")
    if attachment.message.is_internal and not can_see_internal(scope, ticket):
        raise NotFound("No such attachment.")
    return attachment


def tag_names_of(ticket: Ticket) -> list[str]:
    """The names of the ticket's tags, in order: from its row when `get_ticket` packed
    them there, else from one query."""
    packed = getattr(ticket, "packed_tag_names", None)
    if packed is not None:
        return sorted(json.loads(packed))
    return list(
        TicketTag.objects.filter(ticket_id=ticket.pk)
        .order_by("tag__name")
        .values_list("tag__name", flat=True)
    )


def statuses(ticket: Ticket | None = None) -> list[Status]:
    """Every status in order; from the reference data of this request (shared copies:
    not to be modified) when the ticket came with the reference stamp
    (`get_ticket(tags=False)`), else read now."""
    stamp = getattr(ticket, "reference_stamp", None)

    def load() -> list[Status]:
        return list(Status.objects.order_by("position", "id"))

    # Without the stamp in hand, one query for the statuses costs what one for the
    # stamp would.
    return reference.adopt(int(stamp)).get(("statuses",), load) if stamp else load()


def tag_names(scope: Scope) -> QuerySet[Tag]:
    """Staff share one tag vocabulary; anyone else sees only the tags of tickets they may
    see (a tag says what staff think of a ticket, and must not leak across clients)."""
    qs = Tag.objects.order_by("name")
    if scope.is_staff:
        return qs
    tagged = Ticket.tags.through.objects.filter(ticket__in=visible_tickets(scope))
    return qs.filter(pk__in=tagged.values("tag_id"))


# --- reactions (admins) ------------------------------------------------------------


def pending_reactions(scope: Scope, *, state: str | None = None) -> QuerySet[PendingReaction]:
    """Reactions that failed (retrying, parked) or wait behind one (held): admins only."""
    if not scope.is_admin:
        raise PermissionDenied("Only an admin can see the reactions.")
    qs = PendingReaction.objects.select_related("event")
    return qs.filter(state=state) if state else qs
