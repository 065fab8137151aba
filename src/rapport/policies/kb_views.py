"""The knowledge base in the portal: published articles a client may read, searchable;
public articles at a URL that needs no sign-in; "Was this helpful?"; suggestions on the
new-request form and the deflection they bring."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from rapport.core.errors import NotFound, RapportError
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.forms import ProposalForm
from rapport.policies.models import Kind, Status

PAGE = 50


def _person(request: HttpRequest) -> Person | None:
    return cast(Person, request.user) if request.user.is_authenticated else None


def _articles(request: HttpRequest) -> object:
    scope = scope_for(_person(request))
    return queries.visible_documents(scope).filter(kind=Kind.ARTICLE, status=Status.PUBLISHED)


@require_GET
def kb(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    q = request.GET.get("q", "")[:200]
    rows = list(queries.search(_articles(request), q).order_by("title", "id")[:PAGE])  # type: ignore[arg-type]
    return render(request, "policies/kb.html", {"rows": rows, "q": q})


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    """Public articles open without sign-in; others ask to sign in first (then 404 if
    the article is not meant for the person)."""
    person = _person(request)
    scope = scope_for(person)
    try:
        doc = queries.get_document(scope, pk)
    except NotFound:
        if person is None:
            return redirect_to_login(request.get_full_path())
        raise Http404("No such article")
    if doc.kind != Kind.ARTICLE or doc.published is None:
        raise Http404("No such article")
    if person is not None and request.GET.get("from") == "new":
        actions.opened_from_new_request(person, doc)
    votes = doc.votes.aggregate(yes=Count("id", filter=Q(helpful=True)),
                                no=Count("id", filter=Q(helpful=False)))  # fmt: skip
    mine = doc.votes.filter(person=person).first() if person else None
    return render(request, "policies/article.html", {
        "doc": doc, "version": doc.published, "votes": votes, "mine": mine,
        "proposal_form": ProposalForm(), "signed_in": person is not None,
    })  # fmt: skip


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    if person is None:
        return redirect_to_login(request.get_full_path())
    try:
        doc = queries.get_document(scope_for(person), pk)
        actions.vote(person, doc, helpful=request.POST.get("helpful") == "yes")
    except NotFound:
        raise Http404("No such article")
    except RapportError:
        raise Http404("No such article")
    return redirect("kb:article", pk)


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    if person is None:
        return redirect_to_login(request.get_full_path())
    try:
        doc = queries.get_document(scope_for(person), pk)
    except NotFound:
        raise Http404("No such article")
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = actions.file_proposal(person, doc, **form.cleaned_data)
        except RapportError as error:
            form.add_error(error.field if error.field in form.fields else None, error.detail)
        else:
            return redirect("portal:request", proposal.ticket_id)
    return render(request, "policies/article.html", {
        "doc": doc, "version": doc.published, "votes": {"yes": 0, "no": 0}, "mine": None,
        "proposal_form": form, "signed_in": True,
    }, status=422)  # fmt: skip


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Articles matching the subject being typed on the new-request form (htmx)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    subject = request.GET.get("subject", "")[:300]
    rows = []
    if len(subject.strip()) >= 3:
        rows = queries.ranked(_articles(request), subject, (Kind.ARTICLE.value,))  # type: ignore[arg-type]
    return render(request, "policies/_kb_suggestions.html", {"rows": rows})
