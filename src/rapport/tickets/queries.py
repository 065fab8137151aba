"""Reads of tickets with their joins, scoped to what the person may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from rapport.core import search
from rapport.core.errors import NotFound
from rapport.directory.models import PartyKind
from rapport.directory.queries import Scope
from rapport.tickets.models import Attachment, Event, Message, Status, Tag, Ticket

# Event kinds a client (or vendor user) may see in a ticket's history.
CLIENT_EVENT_KINDS = frozenset({"created", "status", "reopened", "reply", "merged", "merged_into"})
PROVIDER_EVENT_KINDS = CLIENT_EVENT_KINDS | {"assigned", "priority", "tagged", "untagged"}


def visibility(scope: Scope) -> Q | None:
    """The tickets a person may see, as a filter; None means every ticket."""
    if scope.sees_everything:
        return None
    if scope.person_id is None:
        return Q(pk__in=[])
    visible = Q(requester_id=scope.person_id)
    if scope.is_staff:
        visible |= Q(assignee_id=scope.person_id)
        if scope.team_party_ids:
            visible |= Q(provider_party_id__in=scope.team_party_ids)
    if scope.provider_org_party_ids:
        visible |= Q(provider_party_id__in=scope.provider_org_party_ids)
    if scope.admin_org_party_ids:
        visible |= Q(client_party_id__in=scope.admin_org_party_ids)
    return visible


def visible_tickets(scope: Scope) -> QuerySet[Ticket]:
    qs = Ticket.objects.all()
    condition = visibility(scope)
    return qs if condition is None else qs.filter(condition)


def with_list_joins(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related(
        "requester", "client_party", "provider_party", "assignee", "status", "agreement"
    ).prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))


def get_ticket(scope: Scope, number: int, *, for_update: bool = False) -> Ticket:
    """A ticket the person may see, or NotFound (never 403: that would confirm it exists)."""
    qs = with_list_joins(visible_tickets(scope))
    if for_update:
        qs = visible_tickets(scope).select_for_update()
    ticket = qs.filter(pk=number).first()
    if ticket is None:
        raise NotFound(f"There is no ticket #{number} you can see.")
    return ticket


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
    assignee: int | None = None,
    unassigned: bool = False,
    requester: int | None = None,
    tag: str | None = None,
    text: str | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[Ticket]:
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
    if unassigned:
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=assignee)
    if requester:
        qs = qs.filter(requester_id=requester)
    if tag:
        qs = qs.filter(pk__in=Ticket.tags.through.objects.filter(tag__name=tag).values("ticket_id"))
    if text:
        ids = search.matching_ticket_ids(text)
        if ids is not None:
            qs = qs.filter(pk__in=ids)
    if updated_since:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def thread(scope: Scope, ticket: Ticket) -> QuerySet[Message]:
    qs = (
        Message.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    if not can_see_internal(scope, ticket):
        qs = qs.filter(is_internal=False)
    return qs


def history(scope: Scope, ticket: Ticket) -> QuerySet[Event]:
    qs = Event.objects.filter(ticket=ticket).select_related("actor").order_by("created_at", "id")
    if can_see_internal(scope, ticket):
        return qs
    kinds = PROVIDER_EVENT_KINDS if scope.serves(ticket.provider_party_id) else CLIENT_EVENT_KINDS
    return qs.filter(kind__in=kinds)


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


def statuses() -> list[Status]:
    return list(Status.objects.order_by("position", "id"))


def tag_names() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")
