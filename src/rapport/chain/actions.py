"""The only writers of the service chain: hand work over, wait on it, hear it is done.

Child tickets are created by `tickets.actions.create_ticket` (there is no second
way to write a ticket); this module adds the hand-off record, the parent's events
and the notifications.
"""

from __future__ import annotations

from django.db import transaction

from rapport.chain.models import WAITING_SLUG, HandOff
from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES, StatusCategory
from rapport.core.errors import Conflict, Invalid
from rapport.directory.models import Party, Person, TeamMembership, TeamRole
from rapport.directory.queries import scope_for
from rapport.notifications.actions import notify
from rapport.tickets import actions as ticket_actions
from rapport.tickets import events
from rapport.tickets.models import Event, Message, Status, Ticket
from rapport.tickets.permissions import require_provider_staff

MAX_SHARED = 20_000


def waiting_status() -> Status:
    status = Status.objects.filter(slug=WAITING_SLUG).first()
    return status or ticket_actions.default_status(StatusCategory.ON_HOLD)


def _first_public_text(ticket: Ticket) -> str:
    first = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .order_by("created_at", "id")
        .values_list("body_text", flat=True)
        .first()
    )
    return (first or "")[:MAX_SHARED]


@transaction.atomic
def hand_off(
    actor: Person,
    parent: Ticket,
    *,
    provider: Party,
    subject: str,
    note: str,
    share_request: bool = False,
    priority: int | None = None,
    wait: bool = False,
) -> Ticket:
    """A child request from the team working `parent` to `provider`, under the
    agreement between them (OLA or UC, chosen as for any ticket).

    The child carries only `note` and, if asked, the customer's first message:
    nothing else of the parent (notes, other replies, the customer's name
    unless quoted) reaches the provider.
    """
    scope = scope_for(actor)
    require_provider_staff(scope, parent, "hand work over")
    if parent.status_category in DONE_CATEGORIES or parent.merged_into_id is not None:
        raise Conflict(f"#{parent.pk} is finished; reopen it before handing work over.")
    if provider.pk == parent.provider_party_id:
        raise Invalid("Hand work to another team, a vendor or a contractor.", field="provider")
    body = note.strip()
    if share_request:
        quoted = _first_public_text(parent)
        if quoted:
            quoted_lines = "\n".join(f"> {line}" for line in quoted.splitlines())
            body = f"{body}\n\nThe request as we received it:\n{quoted_lines}".strip()
    child = ticket_actions.create_ticket(
        actor, subject=subject, body=body, provider=provider, client=parent.provider_party,
        priority=priority, parent=parent,
    )  # fmt: skip
    now = clock.now()
    HandOff.objects.create(
        child=child, parent=parent, asked_by=actor, note=note.strip()[:MAX_SHARED],
        shared_request=share_request, created_at=now,
    )  # fmt: skip
    events.append(
        parent, actor, "handoff", new=f"#{child.pk}", at=now,
        child=child.pk, provider=provider.pk, provider_name=provider.name,
        agreement=child.agreement_id, shared_request=share_request,
    )  # fmt: skip
    notify_provider = [p for p in _provider_people(child) if p.pk != actor.pk]
    if notify_provider:
        notify(notify_provider, "handoff", child, f"{parent.provider_party.name} asks: {subject}")
    if wait:
        wait_on_children(actor, parent)
    return child


def _provider_people(ticket: Ticket) -> list[Person]:
    """Team leads of an internal provider; a vendor's users hear by the ticket's mail."""
    leads = TeamMembership.objects.filter(
        team__party_id=ticket.provider_party_id, role=TeamRole.LEAD
    ).select_related("person")
    return [m.person for m in leads]


@transaction.atomic
def wait_on_children(actor: Person, parent: Ticket) -> Ticket:
    """Put the parent on hold until its hand-offs are done. Whether its clocks stop
    is the agreement's choice (does it pause on on_hold?), not this action's."""
    require_provider_staff(scope_for(actor), parent, "put a ticket on hold")
    if not Ticket.objects.filter(parent=parent).exclude(status_category__in=DONE_CATEGORIES):
        raise Conflict(f"#{parent.pk} has no open hand-offs to wait on.")
    ticket_actions.set_status(actor, parent, waiting_status())
    return parent


@transaction.atomic
def on_child_done(child: Ticket, actor: Person | None, *, cause: int | None = None) -> None:
    """A child was solved or closed (the chain's reaction to its status event, `cause`):
    the parent's assignee hears of it, and a parent that was waiting goes back to open
    once nothing it waits on is still open. Once per `cause`: a repeat does nothing."""
    assert child.parent_id is not None
    parent = (
        Ticket.objects.select_related("status", "provider_party").filter(pk=child.parent_id).first()
    )
    if parent is None:
        return
    if (
        cause is not None
        and Event.objects.filter(ticket=parent, kind="child_solved", data__cause=cause).exists()
    ):
        return
    still_open = (
        Ticket.objects.filter(parent=parent).exclude(status_category__in=DONE_CATEGORIES).count()
    )
    text = f"#{child.pk} {child.subject} was solved by {child.provider_party.name}"
    if still_open:
        text += f"; {still_open} other hand-off(s) still open."
    if parent.assignee_id is not None:
        notify([parent.assignee], "child_solved", parent, text)
    events.append(
        parent, actor, "child_solved", new=f"#{child.pk}",
        child=child.pk, still_open=still_open, cause=cause,
    )  # fmt: skip
    if not still_open and parent.status.slug == WAITING_SLUG:
        # The system resumes the parent: nobody on the parent's side acted yet.
        ticket_actions.set_status(None, parent, ticket_actions.default_status("open"))
