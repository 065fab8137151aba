"""The library on a desk ticket: a panel loaded by htmx after the page (so the ticket
page's own queries do not grow) with the citations and exceptions of the ticket, forms
to add them, up to five matching articles and procedures, and "draft an article"."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from rapport.core.choices import DONE_CATEGORIES
from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Person
from rapport.policies import actions, queries
from rapport.policies.forms import CiteForm, ExceptionForm
from rapport.policies.models import Citation, Document, Kind, PolicyException, Status
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket
from rapport.tickets.queries import can_see_internal


def _ticket(request: HttpRequest, number: int) -> Ticket:
    try:
        return ticket_queries.get_ticket(my_scope(request), number)
    except NotFound:
        raise Http404("No such ticket")


def panel_context(request: HttpRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    scope = my_scope(request)
    text = ticket.subject
    first = ticket.messages.filter(is_internal=False).order_by("created_at").first()
    if first is not None:
        text += " " + first.body_text[:500]
    citable = list(
        queries.visible_documents(scope).filter(status=Status.PUBLISHED)
        .order_by("kind", "title").values_list("pk", "kind", "title")[:300]
    )  # fmt: skip
    return {
        "ticket": ticket,
        "works_it": can_see_internal(scope, ticket),
        "citations": list(Citation.objects.filter(ticket=ticket).select_related("document")),
        "exceptions": list(
            PolicyException.objects.filter(ticket=ticket).select_related("document", "approver")
        ),
        "suggestions": queries.suggestions(scope, text),
        "citable": citable,
        "rules": [row for row in citable if row[1] != Kind.ARTICLE],
        "leads": list(
            Person.objects.filter(team_memberships__role="lead")
            .distinct()
            .order_by("full_name")[:50]
        ),
        "solved": ticket.status_category in DONE_CATEGORIES,
        "cite_form": extra.get("cite_form") or CiteForm(),
        "exception_form": extra.get("exception_form") or ExceptionForm(),
        "error": extra.get("error", ""),
    }


@require_GET
@staff_required
def panel(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    return render(request, "policies/_ticket_panel.html", panel_context(request, ticket))


def _doc(request: HttpRequest, pk: int) -> Document:
    try:
        return queries.get_document(my_scope(request), pk)
    except NotFound:
        raise Http404("No such document")


def _answer(request: HttpRequest, ticket: Ticket, status: int = 200, **extra: Any) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return render(request, "policies/_ticket_panel.html",
                      panel_context(request, ticket, **extra), status=status)  # fmt: skip
    return redirect("desk:ticket", ticket.pk)


@require_POST
@staff_required
def cite(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    form = CiteForm(request.POST)
    if not form.is_valid():
        return _answer(request, ticket, 422, cite_form=form)
    try:
        actions.cite(me(request), ticket, _doc(request, form.cleaned_data["document"]),
                     clause=form.cleaned_data["clause"])  # fmt: skip
    except RapportError as error:
        form.add_error("document", error.detail)
        return _answer(request, ticket, 422, cite_form=form)
    return _answer(request, ticket)


@require_POST
@staff_required
def record_exception(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    form = ExceptionForm(request.POST)
    if not form.is_valid():
        return _answer(request, ticket, 422, exception_form=form)
    data = form.cleaned_data
    approver = None
    if data["approver"]:
        approver = Person.objects.filter(pk=data["approver"]).first()
    try:
        actions.record_exception(
            me(request), ticket, _doc(request, data["document"]), why=data["why"],
            instead=data["instead"], within_autonomy=data["within_autonomy"], approver=approver,
        )  # fmt: skip
    except RapportError as error:
        form.add_error(error.field if error.field in form.fields else None, error.detail)
        return _answer(request, ticket, 422, exception_form=form)
    return _answer(request, ticket)


@require_POST
@staff_required
def draft_article(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    try:
        doc = actions.draft_article_from_ticket(me(request), ticket)
    except RapportError as error:
        return _answer(request, ticket, 422, error=error.detail)
    response = redirect("policies:edit", doc.pk)
    response["HX-Redirect"] = response["Location"]
    return response
