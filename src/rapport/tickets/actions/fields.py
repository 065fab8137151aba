"""Changing a ticket's fields: assignee, status, priority, agreement, subject, tags."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from rapport.agreements.models import Agreement
from rapport.agreements.queries import why_not_applicable
from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES, Priority, StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.tickets import clocks, events
from rapport.tickets.actions.common import (
    append_search,
    clean_subject,
    clean_tag,
    default_status,
    scope_of,
)
from rapport.tickets.models import Side, Status, Tag, Ticket, TicketTag
from rapport.tickets.permissions import (
    require_provider,
    require_provider_staff,
    require_view,
    side_of,
)


def assign_to(ticket: Ticket, actor: Person | None, assignee: Person | None) -> None:
    """Assign inside the caller's transaction, its permission already checked."""
    if assignee is not None:
        if not assignee.is_active:
            raise Invalid("That person's account is disabled.", field="assignee")
        assignee_scope = scope_for(assignee)
        if not assignee_scope.serves(ticket.provider_party_id):
            raise Invalid(
                f"{assignee.display_name} does not work for {ticket.provider_party.name}.",
                field="assignee",
            )
    if assignee is None and ticket.assignee_id is None:
        return
    if assignee is not None and assignee.pk == ticket.assignee_id:
        return
    old = ticket.assignee.display_name if ticket.assignee_id and ticket.assignee else ""
    old_id = ticket.assignee_id
    now = clock.now()
    ticket.assignee = assignee
    ticket.updated_at = now
    ticket.save(update_fields=["assignee", "updated_at"])
    events.append(
        ticket, actor, "assigned", field="assignee", old=old,
        new=assignee.display_name if assignee else "",
        old_id=old_id, new_id=assignee.pk if assignee else None,
    )  # fmt: skip


@transaction.atomic
def assign(actor: Person | None, ticket: Ticket, assignee: Person | None) -> Ticket:
    scope = scope_of(actor)
    require_provider(scope, ticket, "assign tickets")
    assign_to(ticket, actor, assignee)
    return ticket


def change_status(ticket: Ticket, actor: Person | None, status: Status) -> None:
    """Move the ticket to `status` inside the caller's transaction, its permission
    already checked. The status event says whether the ticket became done (`done`)
    and solved for the first time since it was open (`solved`): reactions (surveys,
    the service chain) go by those."""
    if status.pk == ticket.status_id:
        return
    old_status, old_category = ticket.status, ticket.status_category
    now = clock.now()
    fields = ["status", "status_category", "updated_at"]
    reopening = old_category in DONE_CATEGORIES and status.category not in DONE_CATEGORIES
    ticket.status = status
    ticket.status_category = status.category
    ticket.updated_at = now
    solving = status.category == StatusCategory.SOLVED or (
        status.category == StatusCategory.CLOSED and ticket.solved_at is None
    )
    if solving:
        ticket.solved_at = now
        fields.append("solved_at")
    if status.category == StatusCategory.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    if reopening:
        ticket.solved_at = ticket.closed_at = None
        ticket.reopen_count += 1
        fields += ["solved_at", "closed_at", "reopen_count"]
    ticket.save(update_fields=sorted(set(fields)))
    finishing = status.category in DONE_CATEGORIES and old_category not in DONE_CATEGORIES
    events.append(
        ticket, actor, "status", field="status", old=old_status.slug, new=status.slug,
        old_category=old_category, new_category=status.category,
        done=finishing, solved=solving and old_category not in DONE_CATEGORIES,
    )  # fmt: skip
    if reopening:
        events.append(ticket, actor, "reopened", old=old_category, new=status.category)
    clocks.keeper().on_status_changed(ticket, actor, old_category, status.category)


@transaction.atomic
def set_status(actor: Person | None, ticket: Ticket, status: Status) -> Ticket:
    """Providers move a ticket freely; a client may only mark their request solved or closed."""
    scope = scope_of(actor)
    require_view(scope, ticket)
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}.")
    if ticket.status_category == StatusCategory.CLOSED and status.category != StatusCategory.CLOSED:
        raise Conflict(f"#{ticket.pk} is closed; reopen it instead.", field="status")
    if side_of(scope, ticket) != Side.PROVIDER and status.category not in DONE_CATEGORIES:
        raise PermissionDenied("A client can only close their request or reopen it.")
    change_status(ticket, actor, status)
    return ticket


@transaction.atomic
def reopen(actor: Person | None, ticket: Ticket) -> Ticket:
    scope = scope_of(actor)
    require_view(scope, ticket)
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}.")
    if ticket.status_category not in DONE_CATEGORIES:
        raise Conflict(f"#{ticket.pk} is not solved or closed.")
    if ticket.status_category == StatusCategory.CLOSED and side_of(scope, ticket) != Side.PROVIDER:
        raise PermissionDenied("A closed request can only be reopened by the provider.")
    change_status(ticket, actor, default_status(StatusCategory.OPEN))
    return ticket


@transaction.atomic
def set_priority(actor: Person | None, ticket: Ticket, priority: int) -> Ticket:
    scope = scope_of(actor)
    require_provider(scope, ticket, "change the priority")
    if priority not in Priority.values:
        raise Invalid(f"Priority is one of {', '.join(Priority.label_names())}.", field="priority")
    if priority == ticket.priority:
        return ticket
    old = ticket.priority_name
    ticket.priority = priority
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["priority", "updated_at"])
    events.append(ticket, actor, "priority", field="priority", old=old, new=ticket.priority_name)
    clocks.keeper().on_terms_changed(ticket, actor, "priority")
    return ticket


@transaction.atomic
def set_agreement(actor: Person | None, ticket: Ticket, agreement: Agreement | None) -> Ticket:
    """Put the ticket under another agreement (or none): its clocks are recomputed from
    the log under the new targets; a target the old agreement lacked starts now."""
    scope = scope_of(actor)
    require_provider(scope, ticket, "change the agreement")
    if agreement is not None:
        problem = why_not_applicable(
            agreement, ticket.client_party, ticket.provider_party, clock.now().date()
        )
        if problem:
            raise Invalid(problem, field="agreement")
    if (agreement.pk if agreement else None) == ticket.agreement_id:
        return ticket
    old = ticket.agreement.name if ticket.agreement else ""
    ticket.agreement = agreement
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["agreement", "updated_at"])
    events.append(
        ticket, actor, "agreement", field="agreement", old=old,
        new=agreement.name if agreement else "", agreement=agreement.pk if agreement else None,
        reason="changed by hand",
    )  # fmt: skip
    clocks.keeper().on_terms_changed(ticket, actor, "agreement")
    return ticket


@transaction.atomic
def set_subject(actor: Person | None, ticket: Ticket, subject: str) -> Ticket:
    scope = scope_of(actor)
    require_provider(scope, ticket, "change the subject")
    subject = clean_subject(subject)
    if subject == ticket.subject:
        return ticket
    old = ticket.subject
    ticket.subject = subject
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["subject", "updated_at"])
    append_search(ticket, subject)
    events.append(ticket, actor, "subject", field="subject", old=old, new=subject)
    return ticket


def set_tags(
    ticket: Ticket, actor: Person | None, *, add: Iterable[str], remove: Iterable[str]
) -> None:
    """Tag and untag inside the caller's transaction, its permission already checked."""
    current = set(TicketTag.objects.filter(ticket=ticket).values_list("tag__name", flat=True))
    to_add = sorted(set(add) - current)
    to_remove = sorted(set(remove) & current)
    if to_add:
        existing = {t.name: t for t in Tag.objects.filter(name__in=to_add)}
        missing = [Tag(name=n) for n in to_add if n not in existing]
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        tags = Tag.objects.filter(name__in=to_add)
        TicketTag.objects.bulk_create([TicketTag(ticket=ticket, tag=t) for t in tags])
        events.append_many(
            [events.build(ticket, actor, "tagged", field="tags", new=n) for n in to_add]
        )
    if to_remove:
        TicketTag.objects.filter(ticket=ticket, tag__name__in=to_remove).delete()
        events.append_many(
            [events.build(ticket, actor, "untagged", field="tags", old=n) for n in to_remove]
        )
    if to_add or to_remove:
        ticket.updated_at = clock.now()
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=ticket.updated_at)


@transaction.atomic
def tag(actor: Person | None, ticket: Ticket, names: Iterable[str]) -> Ticket:
    require_provider_staff(scope_of(actor), ticket, "tag tickets")
    set_tags(ticket, actor, add=[clean_tag(n) for n in names], remove=())
    return ticket


@transaction.atomic
def untag(actor: Person | None, ticket: Ticket, names: Iterable[str]) -> Ticket:
    require_provider_staff(scope_of(actor), ticket, "untag tickets")
    set_tags(ticket, actor, add=(), remove=[clean_tag(n) for n in names])
    return ticket
