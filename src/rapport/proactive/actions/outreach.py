"""Outreach: one message to every client affected by a known problem, before they
chase. Each client gets it as a public reply on their own ticket (the customer's
ticket at the root of a hand-off chain), or on a new ticket when theirs is closed, so
it leaves through the normal mail path (the mail app reacts to the reply). A preview
lists the recipients; a dry run writes nothing; a follow-up reaches the same set."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from rapport.core import clock
from rapport.core.choices import ACTIVE_CATEGORIES, StatusCategory
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.proactive.models import Outreach, OutreachRecipient, OutreachSource
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Channel, Ticket

MAX_RECIPIENTS = 500
MAX_TICKETS = 500


@dataclass(frozen=True)
class Recipient:
    person: Person
    ticket: Ticket
    opens_ticket: bool  # theirs is closed or merged: a new ticket is raised for them


def _require_manager(actor: Person) -> None:
    if not scope_for(actor).sees_everything:
        raise PermissionDenied("Only managers and admins send outreach.")


def _roots(tickets: list[Ticket]) -> list[Ticket]:
    """Each affected ticket's customer-facing root (a hand-off's chain root)."""
    root_ids = {t.chain_root_id or t.pk for t in tickets}
    return list(
        Ticket.objects.filter(pk__in=root_ids)
        .select_related("requester", "client_party", "provider_party")
        .order_by("pk")
    )


def affected(
    actor: Person,
    *,
    source: str,
    tickets: list[int] | None = None,
    vendor: int | None = None,
    client: int | None = None,
    provider: int | None = None,
    tag: str = "",
    follow_up_of: Outreach | None = None,
) -> list[Recipient]:
    """The recipients, one per client contact (their most recent affected ticket)."""
    _require_manager(actor)
    if follow_up_of is not None:
        found = list(
            OutreachRecipient.objects.filter(outreach=follow_up_of)
            .select_related(
                "person",
                "ticket",
                "ticket__requester",
                "ticket__client_party",
                "ticket__provider_party",
            )
            .order_by("pk")
        )
        return [_recipient(r.person, r.ticket) for r in found]
    if source == OutreachSource.TICKETS:
        if not tickets:
            raise Invalid("Name at least one ticket.", field="tickets")
        if len(tickets) > MAX_TICKETS:
            raise Invalid(f"At most {MAX_TICKETS} tickets.", field="tickets")
        chosen = list(Ticket.objects.filter(pk__in=tickets))
        if len(chosen) != len(set(tickets)):
            raise NotFound("Some of these tickets do not exist.", field="tickets")
    elif source == OutreachSource.VENDOR:
        if vendor is None:
            raise Invalid("Name the vendor whose incident this is.", field="vendor")
        # The vendor's incident reaches every customer whose open work waits on it.
        chosen = list(
            Ticket.objects.filter(provider_party_id=vendor, status_category__in=ACTIVE_CATEGORIES)
        )
    elif source == OutreachSource.FILTER:
        qs = Ticket.objects.filter(status_category__in=ACTIVE_CATEGORIES, merged_into=None)
        if client is None and provider is None and not tag:
            raise Invalid("A filter names a client, a provider or a tag.", field="filter")
        if client is not None:
            qs = qs.filter(client_party_id=client)
        if provider is not None:
            qs = qs.filter(provider_party_id=provider)
        if tag:
            qs = qs.filter(tags__name=tag)
        chosen = list(qs[: MAX_TICKETS + 1])
    else:
        raise Invalid("The source is tickets, filter or vendor.", field="source")
    by_person: dict[int, Recipient] = {}
    for root in _roots(chosen):
        if root.client_party.is_internal and root.client_party.kind != "team":
            continue  # our own organisation asking itself: no client to reach
        by_person[root.requester_id] = _recipient(root.requester, root)
    recipients = list(by_person.values())
    if len(recipients) > MAX_RECIPIENTS:
        raise Invalid(f"At most {MAX_RECIPIENTS} recipients; narrow the selection.")
    return recipients


def _recipient(person: Person, ticket: Ticket) -> Recipient:
    closed = ticket.merged_into_id is not None or ticket.status_category == StatusCategory.CLOSED
    return Recipient(person, ticket, closed)


def preview(actor: Person, **selection: object) -> list[Recipient]:
    """The recipients, writing nothing: the dry run."""
    return affected(actor, **selection)  # type: ignore[arg-type]


@transaction.atomic
def send_outreach(
    actor: Person,
    *,
    subject: str,
    body: str,
    source: str = OutreachSource.TICKETS,
    source_ref: str = "",
    follow_up_of: Outreach | None = None,
    **selection: object,
) -> Outreach:
    """Send `body` to every recipient as a public reply (or a new ticket)."""
    subject, body = subject.strip()[:300], body.strip()
    if not subject:
        raise Invalid("An outreach needs a subject.", field="subject")
    if not body:
        raise Invalid("An outreach needs a message.", field="body")
    recipients = affected(actor, source=source, follow_up_of=follow_up_of, **selection)  # type: ignore[arg-type]
    if not recipients:
        raise Invalid("No client is affected by this selection.")
    outreach = Outreach.objects.create(
        author=actor,
        source=follow_up_of.source if follow_up_of else source,
        source_ref=source_ref[:300],
        subject=subject,
        body=body,
        follow_up_of=follow_up_of,
        created_at=clock.now(),
    )
    for r in recipients:
        ticket = r.ticket
        if r.opens_ticket:
            ticket = ticket_actions.open_ticket(
                actor,
                subject=subject,
                requester=r.person,
                client=ticket.client_party,
                provider=ticket.provider_party,
                channel=Channel.EMAIL,
                body=f"Raised by {actor.display_name} to tell you about: {subject}",
            ).ticket
        message = ticket_actions.reply(actor, ticket, body=body)
        OutreachRecipient.objects.create(
            outreach=outreach,
            person=r.person,
            ticket=ticket,
            message=message,
            opened_ticket=r.opens_ticket,
        )
    return outreach
