"""Policies at work on tickets: citations, case-by-case exceptions (with the threshold
that opens a change proposal), and a draft article from a solved ticket."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, TeamMembership, TeamRole
from rapport.notifications.actions import notify
from rapport.policies import queries
from rapport.policies.actions._common import require_staff, scope_of, text
from rapport.policies.actions.documents import create_document
from rapport.policies.actions.proposals import file_proposal
from rapport.policies.models import (
    Citation,
    Document,
    ExceptionStatus,
    Kind,
    PolicyException,
    Proposal,
    ProposalStatus,
    Status,
)
from rapport.tickets import events
from rapport.tickets.models import Message, Ticket
from rapport.tickets.permissions import require_provider_staff

WINDOW = timedelta(days=30)


def _ticket_event(ticket: Ticket, actor: Person | None, kind: str, **data: Any) -> None:
    # Appended like every other ticket event (never updated), so the thread's history
    # and reactions see citations and exceptions.
    events.append(ticket, actor, kind, new=data.get("document_title", ""), **data)


def _published(actor: Person, document: Document) -> Document:
    document = queries.get_document(scope_of(actor), document.pk)
    if document.status != Status.PUBLISHED or document.published_id is None:
        raise Invalid("Only a published document can be cited.", field="document")
    return document


@transaction.atomic
def cite(actor: Person, ticket: Ticket, document: Document, *, clause: str = "") -> Citation:
    require_provider_staff(scope_of(actor), ticket, "cite documents")
    document = _published(actor, document)
    citation = Citation.objects.create(
        ticket=ticket, document=document, version_id=document.published_id,
        clause=text(clause, "clause", required=False, limit=200), person=actor,
        created_at=clock.now(),
    )  # fmt: skip
    _ticket_event(ticket, actor, "cited", document=document.pk, document_title=document.title,
                  clause=citation.clause)  # fmt: skip
    return citation


def _may_approve(approver: Person, agent: Person, document: Document) -> bool:
    """The policy's owner or a lead of the agent's team."""
    if approver.pk == document.owner_id:
        return True
    agent_teams = TeamMembership.objects.filter(person=agent).values("team_id")
    return TeamMembership.objects.filter(
        person=approver, role=TeamRole.LEAD, team_id__in=agent_teams
    ).exists()


@transaction.atomic
def record_exception(
    actor: Person,
    ticket: Ticket,
    document: Document,
    *,
    why: str,
    instead: str,
    within_autonomy: bool,
    approver: Person | None = None,
) -> PolicyException:
    """An exception inside the autonomy the policy grants is recorded as done; beyond
    it, it waits for the named approver (the owner or the agent's lead)."""
    require_provider_staff(scope_of(actor), ticket, "record exceptions")
    document = _published(actor, document)
    if document.kind == Kind.ARTICLE:
        raise Invalid("Exceptions are made to policies and procedures.", field="document")
    why = text(why, "why")
    instead = text(instead, "instead")
    if not within_autonomy:
        if approver is None:
            raise Invalid("Beyond the autonomy, name who approves it.", field="approver")
        if approver.pk == actor.pk or not _may_approve(approver, actor, document):
            raise Invalid("The approver is the policy's owner or your team's lead.",
                          field="approver")  # fmt: skip
    now = clock.now()
    exception = PolicyException.objects.create(
        ticket=ticket, document=document, version_id=document.published_id, agent=actor,
        why=why, instead=instead, within_autonomy=within_autonomy,
        status=ExceptionStatus.RECORDED if within_autonomy else ExceptionStatus.PENDING,
        approver=approver if not within_autonomy else None, created_at=now,
    )  # fmt: skip
    _ticket_event(ticket, actor, "policy_exception", document=document.pk,
                  document_title=document.title, exception=exception.pk)  # fmt: skip
    if not within_autonomy:
        notify(
            [approver],
            "exception",
            ticket,
            f"{actor.display_name} asks approval for an exception to “{document.title}”.",
        )
    _check_threshold(actor, document, exception)
    return exception


@transaction.atomic
def decide_exception(
    actor: Person, exception: PolicyException, *, approve: bool, note: str = ""
) -> PolicyException:
    """The approver the agent named (the policy's owner or the agent's lead) approves or
    declines an exception beyond the policy's autonomy; the decision is recorded on the
    exception and the ticket, and the agent is told."""
    exception = PolicyException.objects.select_for_update().select_related(
        "document", "ticket", "agent").get(pk=exception.pk)  # fmt: skip
    note = text(note, "note", required=not approve)
    if exception.approver_id != actor.pk:
        raise PermissionDenied("Only the named approver decides this exception.")
    if exception.status != ExceptionStatus.PENDING:
        raise Conflict("This exception is decided already.")
    exception.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.DECLINED
    exception.decided_at = clock.now()
    exception.decision_note = note
    exception.save(update_fields=["status", "decided_at", "decision_note"])
    verdict = "approved" if approve else "declined"
    _ticket_event(exception.ticket, actor, "policy_exception_decided",
                  document=exception.document_id, document_title=exception.document.title,
                  exception=exception.pk, decision=verdict)  # fmt: skip
    said = f" {actor.display_name}: “{note}”" if note else ""
    notify([exception.agent], "exception", exception.ticket,
           f"Your exception to “{exception.document.title}” was {verdict}.{said}")  # fmt: skip
    return exception


def _check_threshold(actor: Person, document: Document, latest: PolicyException) -> None:
    """More exceptions than the document's threshold within 30 days means the policy no
    longer fits the work: open one change proposal with them attached. While that
    proposal is open, later exceptions join it instead of opening another."""
    Document.objects.select_for_update().filter(pk=document.pk).first()  # serialise per document
    open_auto = Proposal.objects.filter(
        document=document, automatic=True, status=ProposalStatus.OPEN
    ).first()
    if open_auto is not None:
        PolicyException.objects.filter(pk=latest.pk).update(proposal=open_auto)
        return
    since = clock.now() - WINDOW
    recent = document.exceptions.filter(created_at__gte=since, proposal__isnull=True).exclude(
        status=ExceptionStatus.DECLINED
    )
    count = recent.count()
    if count <= document.exception_threshold:
        return
    tickets = list(Ticket.objects.filter(pk__in=recent.values("ticket_id")).order_by("pk")[:20])
    proposal = file_proposal(
        None, document, proposer=actor, automatic=True, tickets=tickets,
        what_is_wrong=(f"{count} exceptions to this {document.get_kind_display().lower()} were "
                       f"recorded in the last 30 days (threshold {document.exception_threshold})."),
        why="Staff keep departing from it case by case: it may no longer fit the work.",
        proposed_fix="Review the exceptions attached and change the text so the usual case "
                     "needs none.",
    )  # fmt: skip
    recent.update(proposal=proposal)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")


def anonymise(text_: str, names: list[str]) -> str:
    out = _EMAIL.sub("[e-mail]", text_)
    out = _PHONE.sub("[phone]", out)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        out = re.sub(re.escape(name), "[customer]", out, flags=re.IGNORECASE)
    return out


@transaction.atomic
def draft_article_from_ticket(actor: Person, ticket: Ticket) -> Document:
    """A draft article from a solved ticket: its subject and public replies, without the
    requester's name, e-mail address or phone number."""
    scope = scope_of(actor)
    require_staff(scope, "write articles")
    require_provider_staff(scope, ticket, "write articles from it")
    if ticket.status_category not in DONE_CATEGORIES:
        raise Conflict("Start an article from a solved ticket.")
    requester = ticket.requester
    names = [requester.full_name, requester.first_name, requester.last_name, requester.username,
             *requester.full_name.split()]  # fmt: skip
    messages = Message.objects.filter(ticket=ticket, is_internal=False).order_by("created_at")
    parts = [f"# {anonymise(ticket.subject, names)}", ""]
    for m in messages:
        who = "Question" if m.author_side == "client" else "Answer"
        parts += [f"## {who}", "", anonymise(m.body_text, names), ""]
    team = TeamMembership.objects.filter(person=actor).select_related("team").first()
    if team is None:
        raise Invalid("You belong to no team to own the article.", field="team")
    return create_document(
        actor, kind=Kind.ARTICLE, title=anonymise(ticket.subject, names)[:200],
        body="\n".join(parts), owner=actor, team=team.team,
        change_summary=f"Drafted from ticket #{ticket.pk}",
    )  # fmt: skip


def visible_or_404(actor: Person, pk: int) -> PolicyException:
    exc = PolicyException.objects.select_related("document").filter(pk=pk).first()
    if exc is None or not queries.visible_documents(scope_of(actor)).filter(
        pk=exc.document_id).exists():  # fmt: skip
        raise NotFound(f"There is no exception {pk} you can see.")
    return exc
