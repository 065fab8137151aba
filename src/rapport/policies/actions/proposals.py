"""Change proposals: what is wrong, why, and the fix, raised as a ticket to the
document's owning team so it is measured (clocks, queue, scorecard) like any request."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, NotFound
from rapport.directory.models import Person
from rapport.notifications.actions import notify
from rapport.policies import queries
from rapport.policies.actions._common import require_editor, scope_of, text
from rapport.policies.actions.documents import start_draft
from rapport.policies.models import Document, Proposal, ProposalStatus, Version
from rapport.tickets import actions as ticket_actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import can_view

MAX_LINKED = 20


def _body(document: Document, clause: str, wrong: str, why: str, fix: str,
          tickets: Sequence[Ticket]) -> str:  # fmt: skip
    lines = [f"Change proposal for {document.get_kind_display().lower()} “{document.title}”"]
    if clause:
        lines.append(f"Clause: {clause}")
    lines += ["", "What is wrong:", wrong, "", "Why it should change:", why, "",
              "Proposed fix:", fix]  # fmt: skip
    if tickets:
        lines += ["", "Tickets that show it: " + ", ".join(f"#{t.pk}" for t in tickets)]
    return "\n".join(lines)


@transaction.atomic
def file_proposal(
    actor: Person | None,
    document: Document,
    *,
    what_is_wrong: str,
    why: str,
    proposed_fix: str,
    clause: str = "",
    tickets: Sequence[Ticket] = (),
    proposer: Person | None = None,
    automatic: bool = False,
) -> Proposal:
    """Anyone who can see the document may propose a change (staff from the desk; clients,
    employees and vendor users from the portal)."""
    scope = scope_of(actor)
    proposer = proposer or actor
    if proposer is None:
        raise Invalid("A proposal needs a proposer.", field="proposer")
    document = queries.get_document(scope, document.pk)
    wrong = text(what_is_wrong, "what_is_wrong")
    why = text(why, "why")
    fix = text(proposed_fix, "proposed_fix")
    clause = text(clause, "clause", required=False, limit=200)
    if len(tickets) > MAX_LINKED:
        raise Invalid(f"Link at most {MAX_LINKED} tickets.", field="tickets")
    for t in tickets:
        if not can_view(scope, t):
            raise NotFound(f"There is no ticket #{t.pk} you can see.", field="tickets")
    # The request is raised by the system on the proposer's behalf: a client whose
    # organisation has no agreement with the owning team may still propose a change
    # to an article it reads. The team's agreement with the proposer's side applies.
    ticket = ticket_actions.create_ticket(
        None,
        subject=f"Change proposal: {document.title}"[:300],
        body=_body(document, clause, wrong, why, fix, tickets),
        provider=document.team.party,
        requester=proposer,
        tags=["change-proposal"],
    )
    proposal = Proposal.objects.create(
        ticket=ticket, document=document, version=document.published or None,
        proposer=proposer, clause=clause, what_is_wrong=wrong, why=why, proposed_fix=fix,
        automatic=automatic, created_at=clock.now(),
    )  # fmt: skip
    proposal.linked_tickets.set(tickets)
    notify([document.owner], "proposal", ticket,
           f"{proposer.display_name} proposes a change to “{document.title}”.")  # fmt: skip
    return proposal


def _open(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("document__team", "ticket",
                                                            "proposer").get(pk=proposal.pk)
    )  # fmt: skip
    if proposal.status != ProposalStatus.OPEN:
        raise Conflict(f"The proposal is {proposal.get_status_display().lower()} already.")
    return proposal


def _tell_proposer(actor: Person | None, proposal: Proposal, message: str) -> None:
    """A public reply on the proposal's ticket that solves it, so the proposer hears back
    by their usual channel; when the decider does not work the ticket, a notification."""
    ticket = Ticket.objects.get(pk=proposal.ticket_id)
    deciding = actor if actor is not None else proposal.document.owner
    solved = ticket_actions.default_status(StatusCategory.SOLVED)
    if ticket.status_category in (StatusCategory.SOLVED, StatusCategory.CLOSED):
        notify([proposal.proposer], "proposal", ticket, message)
        return
    scope = scope_of(deciding)
    if scope.serves(ticket.provider_party_id):
        ticket_actions.reply(None, ticket, body=message, author=deciding, status=solved)
    else:
        ticket_actions.set_status(None, ticket, solved)
        notify([proposal.proposer], "proposal", ticket, message)


def _may_decide(actor: Person | None, proposal: Proposal) -> None:
    scope = scope_of(actor)
    if not scope.is_staff:
        raise NotFound(f"There is no proposal {proposal.pk} you can see.")
    require_editor(scope, proposal.document, "decide on proposals")


@transaction.atomic
def accept(actor: Person | None, proposal: Proposal) -> Version:
    """Accept: a draft version starts from the newest one, linked to the proposal."""
    proposal = _open(proposal)
    _may_decide(actor, proposal)
    version = start_draft(actor, proposal.document, proposal=proposal)
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_at = clock.now()
    proposal.save(update_fields=["status", "decided_at"])
    _tell_proposer(
        actor,
        proposal,
        f"Thank you: your proposal was accepted; version "
        f"{version.number} of “{proposal.document.title}” is being drafted from it.",
    )
    return version


@transaction.atomic
def decline(actor: Person | None, proposal: Proposal, *, reason: str) -> Proposal:
    proposal = _open(proposal)
    _may_decide(actor, proposal)
    proposal.decision_reason = text(reason, "reason")
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_at = clock.now()
    proposal.save(update_fields=["status", "decision_reason", "decided_at"])
    _tell_proposer(actor, proposal, f"Your proposal on “{proposal.document.title}” was "
                   f"declined: {proposal.decision_reason}")  # fmt: skip
    return proposal


@transaction.atomic
def merge(actor: Person | None, proposal: Proposal, into: Proposal) -> Proposal:
    """Fold a proposal into another open one of the same document (its exceptions and
    linked tickets move with it)."""
    proposal = _open(proposal)
    _may_decide(actor, proposal)
    if into.pk == proposal.pk or into.document_id != proposal.document_id:
        raise Invalid("Merge into another proposal of the same document.", field="into")
    if into.status != ProposalStatus.OPEN:
        raise Invalid("Merge into an open proposal.", field="into")
    into.linked_tickets.add(*proposal.linked_tickets.all())
    proposal.exceptions.update(proposal=into)
    proposal.merged_into = into
    proposal.status = ProposalStatus.MERGED
    proposal.decided_at = clock.now()
    proposal.save(update_fields=["status", "merged_into", "decided_at"])
    _tell_proposer(
        actor,
        proposal,
        f"Your proposal on “{proposal.document.title}” was "
        f"merged into proposal #{into.ticket_id}, which is decided for both.",
    )
    return proposal


def visible_ticket(actor: Person, number: int) -> Ticket:
    return ticket_queries.get_ticket(scope_of(actor), number, field="tickets")
