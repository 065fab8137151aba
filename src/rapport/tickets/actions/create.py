"""Raising a ticket: the hottest write there is (API, mail, imports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ParamSpec

from django.db import transaction

from rapport.agreements.queries import match_agreement
from rapport.core import clock
from rapport.core.choices import Priority
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.core.fast import reference, rows
from rapport.core.fast.reference import Snapshot
from rapport.directory.models import OrgKind, OrgMembership, Party, Person, TeamMembership
from rapport.directory.queries import Scope, party
from rapport.tickets import clocks, events, sentiment
from rapport.tickets.actions.common import (
    claim_attachments,
    clean_subject,
    clean_tag,
    initial_status,
    message_body,
    scope_of,
)
from rapport.tickets.actions.fields import assign_to, set_tags
from rapport.tickets.models import Attachment, Channel, Message, SearchDocument, Side, Ticket
from rapport.tickets.permissions import can_view

P = ParamSpec("P")


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
    scope = scope_of(actor)
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
    subject = clean_subject(subject)
    body_html, body_text = message_body(body, is_html=body_is_html)
    if client is None and parent is not None and scope.serves(parent.provider_party_id):
        # A hand-off: the team working the parent ticket is the one asking.
        client = parent.provider_party
    # Statuses, agreements (with targets and calendars) and parties from the process's
    # copy: one small query checks it is current instead of several that read them.
    ref = ref or reference.current()
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
    new_clocks, clock_events = clocks.keeper().start(ticket, actor, agreement, priority, ref, now)
    # The rows of a new ticket are written by statements built once per process (see
    # rapport.core.fast.rows): creating tickets is the hottest write (API, mail, imports).
    rows.insert([ticket])
    message = Message(
        ticket=ticket,
        author=requester,
        author_side=Side.CLIENT,
        channel=channel,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
        # Scored before the INSERT, so rules reading the `created` event see the score.
        sentiment=sentiment.score(body_text),
    )
    rows.insert([message])
    claimed = claim_attachments(actor, message, attachments)
    rows.insert([SearchDocument(ticket=ticket, body=f"{subject}\n{body_text}")])
    # The ticket's moment for all of them: the log then reads in the order written.
    # One INSERT for all: creating tickets is the hottest write (API, mail, imports).
    created = events.build(
        ticket, actor, "created", new=f"#{ticket.pk}", at=now,
        channel=channel, requester=requester.pk, client=client.pk, provider=provider.pk,
        message=message.pk,
    )  # fmt: skip
    chosen = events.build(
        ticket, actor, "agreement", field="agreement", old="",
        new=agreement.name if agreement else "", at=now,
        agreement=agreement.pk if agreement else None, reason=reason,
    )  # fmt: skip
    events.append_many([created, chosen, *clock_events])
    if new_clocks:
        rows.insert(list(new_clocks))
    if tag_names:
        set_tags(ticket, actor, add=tag_names, remove=())
    if assignee is not None:
        assign_to(ticket, actor, assignee)
    return Opened(ticket, message, claimed)


def _ticket_only(open_: Callable[P, Opened]) -> Callable[P, Ticket]:
    def create(*args: P.args, **kwargs: P.kwargs) -> Ticket:
        return open_(*args, **kwargs).ticket

    create.__doc__ = "Raise a ticket; as `open_ticket`, returning only the ticket."
    return create


create_ticket = _ticket_only(open_ticket)
