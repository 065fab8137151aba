"""The only writers of tickets. Each function is one use case: it checks the
actor's permission, writes in one transaction, and appends events.

`actor=None` means the system itself (CLI, demo, background jobs).
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any, ParamSpec

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F

from rapport.agreements.models import Agreement
from rapport.agreements.queries import match_agreement, why_not_applicable
from rapport.core import clock, reference, rows
from rapport.core.choices import DONE_CATEGORIES, Priority, StatusCategory
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied, TooLarge
from rapport.core.reference import Snapshot
from rapport.core.sanitize import clean_html, html_to_text, text_to_html
from rapport.directory.models import OrgKind, OrgMembership, Party, Person, TeamMembership
from rapport.directory.queries import Scope, party, scope_for
from rapport.mail import outbound
from rapport.sla import clocks as sla
from rapport.surveys import actions as surveys
from rapport.tickets.models import (
    Attachment,
    Channel,
    Event,
    Message,
    SearchDocument,
    Side,
    Status,
    Tag,
    Ticket,
    TicketTag,
)
from rapport.tickets.permissions import (
    can_view,
    require_provider,
    require_provider_staff,
    require_view,
    side_of,
)

SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_SUBJECT = 300
MAX_BODY = 200_000
P = ParamSpec("P")
_TAG = re.compile(r"^[\w][\w.:/-]{0,63}$", re.UNICODE)


def _scope(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def _actor_id(actor: Person | None) -> int | None:
    return actor.pk if actor is not None else None


def _event(*args: Any, **kwargs: Any) -> Event:
    """Record one event now (arguments as for `_unsaved_event`)."""
    event = _unsaved_event(*args, **kwargs)
    event.save()
    return event


def _unsaved_event(
    ticket: Ticket,
    actor: Person | None,
    kind: str,
    field: str = "",
    old: object = "",
    new: object = "",
    **data: Any,
) -> Event:
    return Event(
        ticket=ticket,
        actor=actor,
        created_at=clock.now(),
        kind=kind,
        field=field,
        old_value=str(old)[:300] if old is not None else "",
        new_value=str(new)[:300] if new is not None else "",
        data=data,
    )


def default_status(category: str) -> Status:
    status = (
        Status.objects.filter(category=category).order_by("-is_default", "position", "id").first()
    )
    if status is None:
        raise Invalid(f"No status of category {category!r} is configured.")
    return status


def initial_status(ref: Snapshot | None = None) -> Status:
    """A new ticket's status: the first open status ("New" unless configured otherwise);
    with `ref`, from the process's copy of the reference data."""

    def load() -> Status | None:
        return (
            Status.objects.filter(category=StatusCategory.OPEN).order_by("position", "id").first()
        )

    status = ref.get(("initial_status",), load) if ref is not None else load()
    if status is None:
        raise Invalid("No open status is configured.")
    return status


def _body(body: str, *, is_html: bool) -> tuple[str, str]:
    """Sanitised HTML and plain text of a message body."""
    if len(body) > MAX_BODY:
        raise TooLarge(f"A message body is at most {MAX_BODY} characters.", field="body")
    body_html = clean_html(body) if is_html else text_to_html(body)
    body_text = html_to_text(body_html)
    if not body_text.strip() and "<img" not in body_html:
        raise Invalid("The message is empty.", field="body")
    return body_html, body_text


def _clean_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise Invalid("A ticket needs a subject.", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise Invalid(f"A subject is at most {MAX_SUBJECT} characters.", field="subject")
    return subject


def clean_tag(name: str) -> str:
    tag = unicodedata.normalize("NFC", name).strip().lower().replace(" ", "-")
    if not _TAG.match(tag):
        raise Invalid(
            f"{name!r} is not a tag: use letters, digits and - _ . : /, up to 64.", field="tags"
        )
    return tag


def default_client_party(
    requester: Person,
    provider: Party | None = None,
    memberships: Sequence[OrgMembership] | None = None,
) -> Party | None:
    """The party a person asks on behalf of: their customer (or vendor) organisation;
    for staff, their team, so OLAs with that team apply; else our own organisation.

    `memberships`: the requester's organisation memberships with their organisation
    and its party, when the caller read them already (mail reads a batch's at once)."""
    if memberships is None:
        memberships = list(
            OrgMembership.objects.filter(person=requester).select_related("organisation__party")
        )
    order = {OrgKind.CUSTOMER: 0, OrgKind.CONTRACTOR: 1, OrgKind.VENDOR: 2}
    external = [m for m in memberships if m.organisation.kind in order]
    if external:
        external.sort(key=lambda m: (order[OrgKind(m.organisation.kind)], m.pk))
        return external[0].organisation.party
    team = (
        TeamMembership.objects.filter(person=requester)
        .exclude(team__party=provider)  # asking your own team: you ask as the organisation
        .select_related("team__party")
        .order_by("id")
        .first()
    )
    if team is not None:
        return team.team.party
    return memberships[0].organisation.party if memberships else None


def _default_client(
    requester: Person, provider: Party, scope: Scope, ref: Snapshot
) -> Party | None:
    """`default_client_party`, from the scope already read when the requester is the
    actor and belongs to a customer, contractor or vendor (the usual request)."""
    if requester.pk == scope.person_id and scope.external_org_party_ids:
        return party(scope.external_org_party_ids[0], ref)
    return default_client_party(requester, provider)


def _claim_attachments(
    actor: Person | None, message: Message, tokens: Sequence[str]
) -> list[Attachment]:
    if not tokens:
        return []
    refused = Invalid(
        "An attachment token is unknown, used already, or not yours.", field="attachments"
    )
    try:
        wanted = {uuid.UUID(str(token)) for token in tokens}
    except ValueError:
        raise refused
    rows = list(
        Attachment.objects.select_for_update().filter(token__in=wanted, message__isnull=True)
    )
    if actor is not None:
        rows = [a for a in rows if a.uploader_id == actor.pk]
    if len(rows) != len(wanted):
        raise refused
    Attachment.objects.filter(pk__in=[a.pk for a in rows]).update(message=message)
    for a in rows:
        a.message = message
    return sorted(rows, key=lambda a: a.pk)


def _append_search(ticket: Ticket, text: str) -> None:
    # Every public reply appends here: a plain statement (`||` concatenates on both
    # databases) costs a fraction of compiling the ORM's Concat expression each time.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_searchdocument SET body = body || %s WHERE ticket_id = %s",
            ["\n" + text, ticket.pk],
        )


@dataclass(frozen=True)
class Opened:
    """A new ticket with what its caller shows next: the first message and its attachments."""

    ticket: Ticket
    message: Message
    attachments: list[Attachment]


@transaction.atomic
def open_ticket(
    actor: Person | None,
    *,
    subject: str,
    body: str,
    provider: Party,
    requester: Person | None = None,
    client: Party | None = None,
    priority: int | None = None,
    channel: str = Channel.WEB,
    body_is_html: bool = False,
    tags: Iterable[str] = (),
    parent: Ticket | None = None,
    assignee: Person | None = None,
    attachments: Sequence[str] = (),
    ref: Snapshot | None = None,
) -> Opened:
    """`ref`: the caller's snapshot of the reference data, if it took one already."""
    scope = _scope(actor)
    if actor is None and requester is None:
        raise Invalid("A ticket needs a requester.", field="requester")
    requester = requester or actor
    assert requester is not None
    if not scope.is_staff:
        if requester.pk != scope.person_id:
            raise PermissionDenied("You can only raise requests for yourself.")
        if tags or assignee or parent:
            raise PermissionDenied("Only staff can set tags, assignee or parent on a new ticket.")
    if not requester.is_active:
        raise Invalid("The requester's account is disabled.", field="requester")
    if channel not in Channel.values:
        raise Invalid(f"Unknown channel {channel!r}.", field="channel")
    subject = _clean_subject(subject)
    body_html, body_text = _body(body, is_html=body_is_html)
    if client is None and parent is not None and scope.serves(parent.provider_party_id):
        # A hand-off: the team working the parent ticket is the one asking.
        client = parent.provider_party
    # Statuses, agreements (with targets and calendars) and parties from the process's
    # copy: one small query checks it is current instead of several that read them.
    ref = ref or reference.snapshot()
    if client is None:
        client = _default_client(requester, provider, scope, ref)
        if client is None:
            raise Invalid(
                "The requester belongs to no organisation; name a client.", field="client"
            )
    if not provider.can_provide:
        raise Invalid("The provider must be a team, a vendor or a contractor.", field="provider")
    if client.pk == provider.pk:
        raise Invalid("A party cannot ask itself for service.", field="client")
    if not scope.is_staff and client.pk not in scope.client_party_ids:
        raise PermissionDenied("You can only raise requests for your own organisation or team.")

    now = clock.now()
    agreement, reason = match_agreement(client, provider, now.date(), ref)
    if not scope.is_staff and agreement is None and not (client.is_internal and provider.is_team):
        raise Invalid(
            f"{provider.name} does not provide service to {client.name}.", field="provider"
        )
    usual_priority = agreement.default_priority if agreement else Priority.NORMAL
    clients_choose = agreement is not None and agreement.clients_choose_priority
    if priority is None:
        priority = usual_priority
    elif priority not in Priority.values:
        raise Invalid(f"Priority is one of {', '.join(Priority.label_names())}.", field="priority")
    elif not scope.is_staff and not clients_choose and priority != usual_priority:
        raise PermissionDenied("Your agreement does not let you choose the priority.")
    tag_names = sorted({clean_tag(t) for t in tags})
    if parent is not None and not can_view(scope, parent):
        raise NotFound(f"There is no ticket #{parent.pk} you can see.", field="parent")

    status = initial_status(ref)
    ticket = Ticket(
        subject=subject,
        requester=requester,
        client_party=client,
        provider_party=provider,
        agreement=agreement,
        priority=priority,
        status=status,
        status_category=status.category,
        channel=channel,
        parent=parent,
        chain_root_id=(parent.chain_root_id or parent.pk) if parent is not None else None,
        message_count=1,
        created_at=now,
        updated_at=now,
    )
    # The SLA clocks are worked out first so the due columns go into the ticket's INSERT.
    clocks, sla_events = sla.start_new_ticket(
        ticket, actor, sla.terms_of(agreement, priority, ref), now
    )
    # The rows of a new ticket are written by statements built once per process (see
    # rapport.core.rows): creating tickets is the hottest write (API, mail, imports).
    rows.insert([ticket])
    message = Message(
        ticket=ticket,
        author=requester,
        author_side=Side.CLIENT,
        channel=channel,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
    )
    rows.insert([message])
    claimed = _claim_attachments(actor, message, attachments)
    outbound.after_message(message, new_ticket=True)
    rows.insert([SearchDocument(ticket=ticket, body=f"{subject}\n{body_text}")])
    # One INSERT for all: creating tickets is the hottest write (API, mail, imports).
    created = _unsaved_event(
        ticket, actor, "created", new=f"#{ticket.pk}",
        channel=channel, requester=requester.pk, client=client.pk, provider=provider.pk,
        message=message.pk,
    )  # fmt: skip
    chosen = _unsaved_event(
        ticket, actor, "agreement", field="agreement", old="",
        new=agreement.name if agreement else "", agreement=agreement.pk if agreement else None,
        reason=reason,
    )  # fmt: skip
    # The ticket's moment for all of them: the log then reads in the order written.
    created.created_at = chosen.created_at = now
    rows.insert([created, chosen, *sla_events])
    rows.insert(clocks)
    if tag_names:
        _set_tags(ticket, actor, add=tag_names, remove=())
    if assignee is not None:
        _assign(ticket, actor, assignee)
    return Opened(ticket, message, claimed)


def _ticket_only(open_: Callable[P, Opened]) -> Callable[P, Ticket]:
    def create(*args: P.args, **kwargs: P.kwargs) -> Ticket:
        return open_(*args, **kwargs).ticket

    create.__doc__ = "Raise a ticket; as `open_ticket`, returning only the ticket."
    return create


create_ticket = _ticket_only(open_ticket)


@transaction.atomic
def reply(
    actor: Person | None,
    ticket: Ticket,
    *,
    body: str,
    body_is_html: bool = False,
    attachments: Sequence[str] = (),
    status: Status | None = None,
    channel: str = Channel.WEB,
    author: Person | None = None,
    author_may_add: bool = False,
) -> Message:
    """A public message. A client's reply brings a pending or solved ticket back to open.

    `author_may_add`: the system (no actor) established that the author may add to
    the ticket without seeing it (mail from a colleague of the requester or an
    address copied on the thread; see rapport.mail.routing.may_add_to)."""
    scope = _scope(actor)
    require_view(scope, ticket)
    author = author or actor
    if author is None:
        raise Invalid("A reply needs an author.")
    author_scope = scope_for(author)
    if not (author_may_add and actor is None) and not can_view(author_scope, ticket):
        raise PermissionDenied("The author cannot see this ticket.")
    _require_open_thread(ticket)
    side = side_of(author_scope, ticket)
    body_html, body_text = _body(body, is_html=body_is_html)
    now = clock.now()
    message = Message(
        ticket=ticket,
        author=author,
        author_side=side,
        channel=channel,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
    )
    rows.insert([message])
    _claim_attachments(actor, message, attachments)
    outbound.after_message(message)
    ticket.updated_at = now
    written = ["updated_at"]
    if side == Side.PROVIDER and ticket.first_response_at is None:
        ticket.first_response_at = now
        written.append("first_response_at")
    # The count is added in the database: concurrent replies each count.
    rows.update(ticket, written, add={"message_count": 1})
    ticket.message_count += 1
    _append_search(ticket, body_text)
    rows.insert([_unsaved_event(ticket, actor, "reply", side=side, message=message.pk)])
    sla.on_public_reply(ticket, actor, side)
    if side == Side.CLIENT and ticket.status_category in (
        StatusCategory.PENDING_CLIENT,
        StatusCategory.SOLVED,
    ):
        _change_status(ticket, actor, default_status(StatusCategory.OPEN))
    elif status is not None:
        if side != Side.PROVIDER:
            raise PermissionDenied("Only the provider can set a status with a reply.")
        _change_status(ticket, actor, status)
    return message


def _require_open_thread(ticket: Ticket) -> None:
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}; write there.")
    if ticket.status_category == StatusCategory.CLOSED:
        raise Conflict(f"#{ticket.pk} is closed; reopen it or raise a new request.")


@transaction.atomic
def add_note(
    actor: Person,
    ticket: Ticket,
    *,
    body: str,
    body_is_html: bool = False,
    attachments: Sequence[str] = (),
) -> Message:
    """An internal note: seen by the provider's staff only."""
    scope = _scope(actor)
    require_provider_staff(scope, ticket, "add internal notes")
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}; write there.")
    body_html, body_text = _body(body, is_html=body_is_html)
    now = clock.now()
    message = Message.objects.create(
        ticket=ticket,
        author=actor,
        author_side=Side.PROVIDER,
        is_internal=True,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
    )
    _claim_attachments(actor, message, attachments)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    ticket.updated_at = now
    _event(ticket, actor, "note", message=message.pk)
    return message


def _assign(ticket: Ticket, actor: Person | None, assignee: Person | None) -> None:
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
    _event(
        ticket, actor, "assigned", field="assignee", old=old,
        new=assignee.display_name if assignee else "",
        old_id=old_id, new_id=assignee.pk if assignee else None,
    )  # fmt: skip


@transaction.atomic
def assign(actor: Person | None, ticket: Ticket, assignee: Person | None) -> Ticket:
    scope = _scope(actor)
    require_provider(scope, ticket, "assign tickets")
    _assign(ticket, actor, assignee)
    return ticket


def _change_status(ticket: Ticket, actor: Person | None, status: Status) -> None:
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
    _event(
        ticket, actor, "status", field="status", old=old_status.slug, new=status.slug,
        old_category=old_category, new_category=status.category,
    )  # fmt: skip
    if reopening:
        _event(ticket, actor, "reopened", old=old_category, new=status.category)
    sla.on_status_changed(ticket, actor, old_category, status.category)
    if (
        ticket.parent_id is not None
        and status.category in DONE_CATEGORIES
        and old_category not in DONE_CATEGORIES
    ):
        # A link of a service chain is done: the chain tells the parent's side.
        # Imported here: the chain app builds on tickets, not the other way round.
        from rapport.chain.actions import on_child_done

        on_child_done(ticket, actor)
    if solving and old_category not in DONE_CATEGORIES:
        surveys.on_ticket_solved(ticket, actor)


@transaction.atomic
def set_status(actor: Person | None, ticket: Ticket, status: Status) -> Ticket:
    """Providers move a ticket freely; a client may only mark their request solved or closed."""
    scope = _scope(actor)
    require_view(scope, ticket)
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}.")
    if ticket.status_category == StatusCategory.CLOSED and status.category != StatusCategory.CLOSED:
        raise Conflict(f"#{ticket.pk} is closed; reopen it instead.", field="status")
    if side_of(scope, ticket) != Side.PROVIDER and status.category not in DONE_CATEGORIES:
        raise PermissionDenied("A client can only close their request or reopen it.")
    _change_status(ticket, actor, status)
    return ticket


@transaction.atomic
def reopen(actor: Person | None, ticket: Ticket) -> Ticket:
    scope = _scope(actor)
    require_view(scope, ticket)
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}.")
    if ticket.status_category not in DONE_CATEGORIES:
        raise Conflict(f"#{ticket.pk} is not solved or closed.")
    if ticket.status_category == StatusCategory.CLOSED and side_of(scope, ticket) != Side.PROVIDER:
        raise PermissionDenied("A closed request can only be reopened by the provider.")
    _change_status(ticket, actor, default_status(StatusCategory.OPEN))
    return ticket


@transaction.atomic
def set_priority(actor: Person | None, ticket: Ticket, priority: int) -> Ticket:
    scope = _scope(actor)
    require_provider(scope, ticket, "change the priority")
    if priority not in Priority.values:
        raise Invalid(f"Priority is one of {', '.join(Priority.label_names())}.", field="priority")
    if priority == ticket.priority:
        return ticket
    old = ticket.priority_name
    ticket.priority = priority
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["priority", "updated_at"])
    _event(ticket, actor, "priority", field="priority", old=old, new=ticket.priority_name)
    sla.on_terms_changed(ticket, actor, "priority")
    return ticket


@transaction.atomic
def set_agreement(actor: Person | None, ticket: Ticket, agreement: Agreement | None) -> Ticket:
    """Put the ticket under another agreement (or none): its clocks are recomputed from
    the log under the new targets; a target the old agreement lacked starts now."""
    scope = _scope(actor)
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
    _event(
        ticket, actor, "agreement", field="agreement", old=old,
        new=agreement.name if agreement else "", agreement=agreement.pk if agreement else None,
        reason="changed by hand",
    )  # fmt: skip
    sla.on_terms_changed(ticket, actor, "agreement")
    return ticket


@transaction.atomic
def set_subject(actor: Person | None, ticket: Ticket, subject: str) -> Ticket:
    scope = _scope(actor)
    require_provider(scope, ticket, "change the subject")
    subject = _clean_subject(subject)
    if subject == ticket.subject:
        return ticket
    old = ticket.subject
    ticket.subject = subject
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["subject", "updated_at"])
    _append_search(ticket, subject)
    _event(ticket, actor, "subject", field="subject", old=old, new=subject)
    return ticket


def _set_tags(
    ticket: Ticket, actor: Person | None, *, add: Iterable[str], remove: Iterable[str]
) -> None:
    current = set(TicketTag.objects.filter(ticket=ticket).values_list("tag__name", flat=True))
    to_add = sorted(set(add) - current)
    to_remove = sorted(set(remove) & current)
    if to_add:
        existing = {t.name: t for t in Tag.objects.filter(name__in=to_add)}
        missing = [Tag(name=n) for n in to_add if n not in existing]
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        tags = Tag.objects.filter(name__in=to_add)
        TicketTag.objects.bulk_create([TicketTag(ticket=ticket, tag=t) for t in tags])
        for name in to_add:
            _event(ticket, actor, "tagged", field="tags", new=name)
    if to_remove:
        TicketTag.objects.filter(ticket=ticket, tag__name__in=to_remove).delete()
        for name in to_remove:
            _event(ticket, actor, "untagged", field="tags", old=name)
    if to_add or to_remove:
        ticket.updated_at = clock.now()
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=ticket.updated_at)


@transaction.atomic
def tag(actor: Person | None, ticket: Ticket, names: Iterable[str]) -> Ticket:
    require_provider_staff(_scope(actor), ticket, "tag tickets")
    _set_tags(ticket, actor, add=[clean_tag(n) for n in names], remove=())
    return ticket


@transaction.atomic
def untag(actor: Person | None, ticket: Ticket, names: Iterable[str]) -> Ticket:
    require_provider_staff(_scope(actor), ticket, "untag tickets")
    _set_tags(ticket, actor, add=(), remove=[clean_tag(n) for n in names])
    return ticket


@transaction.atomic
def merge(actor: Person | None, source: Ticket, target: Ticket) -> Ticket:
    """Fold `source` into `target`: its thread moves over, and it is closed pointing there."""
    scope = _scope(actor)
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
        _set_tags(target, actor, add=source_tags, remove=())
    Ticket.objects.filter(pk=target.pk).update(
        message_count=F("message_count") + len(public), updated_at=now
    )
    target.refresh_from_db()
    _append_search(target, "\n".join([source.subject, *public]))
    Ticket.objects.filter(pk=source.pk).update(message_count=0)
    source.message_count = 0
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    sla.on_merged(source, actor)
    if source.status_category != StatusCategory.CLOSED:
        _change_status(source, actor, default_status(StatusCategory.CLOSED))
    _event(source, actor, "merged_into", new=f"#{target.pk}", target=target.pk, messages=len(moved))
    _event(target, actor, "merged", new=f"#{source.pk}", source=source.pk, messages=len(moved))
    return target


def _safe_filename(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = name.strip(" .") or "attachment"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:20])] + ext[:20]


@transaction.atomic
def upload(
    actor: Person, *, stream: IO[bytes], filename: str, size: int, content_type: str = ""
) -> Attachment:
    """Store a file for a coming message; it stays pending until a message claims it."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to upload.")
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise TooLarge(f"A file is at most {limit // (1024 * 1024)} MiB.", field="file")
    if size == 0:
        raise Invalid("The file is empty.", field="file")
    name = _safe_filename(filename)
    guessed = mimetypes.guess_type(name)[0]
    content_type = content_type.split(";")[0].strip().lower()
    if not re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", content_type):
        content_type = guessed or "application/octet-stream"
    attachment = Attachment(
        uploader=actor,
        filename=name,
        content_type=content_type,
        size=size,
        created_at=clock.now(),
    )
    attachment.file.save(name, File(stream), save=False)
    attachment.save()
    return attachment
