"""Mail settings pages: mailboxes (the catch-all organisation among their settings) and
the review of mail held as spam.

Staff may look and review spam; only admins may change a mailbox (the actions check
it too).
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.mail import actions, queries, spam
from rapport.mail.actions import spam as spam_actions
from rapport.mail.forms import MailboxForm
from rapport.mail.models import InboundState, Mailbox
from rapport.tickets import queries as ticket_queries

REVIEW_PAGE = 100


def _staff(request: HttpRequest) -> Person:
    person = cast(Person, request.user)
    if not scope_for(person).is_staff:
        raise PermissionDenied("Mail settings are for our staff.")
    return person


@login_required
def index(request: HttpRequest) -> HttpResponse:
    person = _staff(request)
    scope = scope_for(person)
    context = {
        "mailboxes": list(
            Mailbox.objects.select_related("provider_party", "unknown_sender_organisation")
        ),
        "is_admin": scope.is_admin,
        "spam_status": spam.status(),
        "spam_configured": spam.address() is not None,
        "held": queries.held_spam(scope).count(),
    }
    return render(request, "mail/settings_index.html", context)


@login_required
def mailbox_edit(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    person = _staff(request)
    is_admin = scope_for(person).is_admin
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None:
        raise Http404("No such mailbox.")
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("Only an admin can change a mailbox.")
        form = MailboxForm(request.POST)
        if form.is_valid():
            try:
                actions.update_mailbox(person, mailbox, **form.cleaned_data)
            except RapportError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.detail)
            else:
                messages.success(request, f"Saved {mailbox.address}.")
                return redirect("mail-settings")
    else:
        form = MailboxForm(
            initial={
                "name": mailbox.name,
                "default_priority": mailbox.default_priority,
                "unknown_sender_organisation": mailbox.unknown_sender_organisation_id,
                "is_active": mailbox.is_active,
            }
        )
    return render(
        request,
        "mail/mailbox_form.html",
        {"mailbox": mailbox, "form": form, "is_admin": is_admin},
    )


@login_required
def spam_review(request: HttpRequest) -> HttpResponse:
    person = _staff(request)
    held = list(queries.held_spam(scope_for(person)).order_by("-received_at", "-id")[:REVIEW_PAGE])
    context = {"held": held, "spam_status": spam.status(), "page": REVIEW_PAGE}
    return render(request, "mail/spam_review.html", context)


@login_required
@require_POST
def spam_verdict(request: HttpRequest, inbound_id: int, verdict: str) -> HttpResponse:
    person = _staff(request)
    if verdict not in ("spam", "not-spam"):
        raise Http404("No such verdict.")
    try:
        inbound = queries.get_for_review(scope_for(person), inbound_id)
        if verdict == "not-spam":
            result = spam_actions.release(person, inbound)
            where = f" on #{result.ticket_id}" if result.ticket_id else ""
            messages.success(request, f"Released “{inbound.subject}”{where}.")
        elif inbound.state == InboundState.SPAM:
            spam_actions.confirm(person, inbound)
            messages.success(request, f"Kept “{inbound.subject}” as spam.")
        else:
            spam_actions.mark_spam(person, inbound)
            messages.success(request, "Marked as spam; the filter learns from it.")
    except RapportError as exc:
        messages.error(request, exc.detail)
    return redirect("mail-spam")


@login_required
@require_POST
def ticket_verdict(request: HttpRequest, number: int, verdict: str) -> HttpResponse:
    """The desk's "Mark as spam" / "Not spam" on a ticket that came by e-mail."""
    person = _staff(request)
    if verdict not in ("spam", "not-spam"):
        raise Http404("No such verdict.")
    try:
        ticket = ticket_queries.get_ticket(scope_for(person), number)
        spam_actions.mark_ticket(person, ticket, is_spam=verdict == "spam")
        if verdict == "spam":
            messages.success(
                request,
                "Marked as spam: the filter learns from it, and the ticket is tagged “spam”. "
                "Close it if nothing else is needed.",
            )
        else:
            messages.success(request, "Marked as not spam: the filter learns from it.")
    except RapportError as exc:
        messages.error(request, exc.detail)
    return redirect("desk:ticket", number)
