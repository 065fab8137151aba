"""Merging one ticket into another."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid
from rapport.directory.models import Person
from rapport.tickets import clocks, events
from rapport.tickets.actions.common import append_search, default_status, scope_of
from rapport.tickets.actions.fields import change_status, set_tags
from rapport.tickets.models import Message, Ticket, TicketTag
from rapport.tickets.permissions import require_provider_staff


@transaction.atomic
def merge(actor: Person | None, source: Ticket, target: Ticket) -> Ticket:
    """Fold `source` into `target`: its thread moves over, and it is closed pointing there."""
    scope = scope_of(actor)
    require_provider_staff(scope, source, "merge tickets")
    require_provider_staff(scope, target, "merge tickets")
    if source.pk == target.pk:
        raise Invalid("A ticket cannot be merged into itself.", field="into")
    for t in (source, target):
        if t.merged_into_id is not None:
            raise Conflict(f"#{t.pk} was merged into #{t.merged_into_id} already.")
    if target.status_category == StatusCategory.CLOSED:
        raise Conflict(f"#{target.pk} is closed; reopen it before merging into it.")
    now = clock.now()
    moved = list(source.messages.values_list("pk", "is_internal", "body_text"))
    Message.objects.filter(ticket=source).update(ticket=target)
    public = [text for _, internal, text in moved if not internal]
    source_tags = list(TicketTag.objects.filter(ticket=source).values_list("tag__name", flat=True))
    if source_tags:
        set_tags(target, actor, add=source_tags, remove=())
    Ticket.objects.filter(pk=target.pk).update(
        message_count=F("message_count") + len(public), updated_at=now
    )
    target.refresh_from_db()
    append_search(target, "\n".join([source.subject, *public]))
    Ticket.objects.filter(pk=source.pk).update(message_count=0)
    source.message_count = 0
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    clocks.keeper().on_merged(source, actor)
    if source.status_category != StatusCategory.CLOSED:
        change_status(source, actor, default_status(StatusCategory.CLOSED))
    events.append(
        source, actor, "merged_into", new=f"#{target.pk}", target=target.pk, messages=len(moved)
    )
    events.append(
        target, actor, "merged", new=f"#{source.pk}", source=source.pk, messages=len(moved)
    )
    return target
