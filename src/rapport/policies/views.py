"""Desk pages of the library: the list, a document (versions, redline, reviews,
sign-offs, proposals, exceptions, citing tickets) and "My reading". Every write goes
through `policies.actions`; a domain error is shown on its form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import NotFound, RapportError
from rapport.core.pagination import paginate
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import TeamMembership
from rapport.policies import actions, queries
from rapport.policies import render as md
from rapport.policies.forms import (
    DecisionForm,
    DocumentForm,
    EditForm,
    LibraryFilter,
    ProposalForm,
    PublishForm,
    ReconfirmForm,
    ReviewForm,
    SignOffForm,
)
from rapport.policies.models import (
    Decision,
    Document,
    Kind,
    Proposal,
    ReadTask,
    Status,
    Version,
)
from rapport.tickets.forms import run_action

PAGE = 50


def _document(request: HttpRequest, pk: int) -> Document:
    try:
        return queries.get_document(my_scope(request), pk)
    except NotFound:
        raise Http404("No such document")


def _library_rows(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("owner", "team").defer("search_text")


@require_GET
@staff_required
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = queries.library(
        my_scope(request), q=data.get("q", ""), kind=data.get("kind", ""),
        status=data.get("status", ""), tag=data.get("tag", ""),
    )  # fmt: skip
    cursor = request.GET.get("cursor", "")[:200] or None
    # The page's keys first, on the narrow filtered query, then only its rows with their
    # joins: in one statement SQLite joined and sorted every match (30-50 ms for the
    # 2,000 matches of a common word at 10,000 documents; bench/policies.py).
    page = {"field": "title", "descending": False, "limit": PAGE, "is_text": True,
            "fetch": _library_rows}  # fmt: skip
    try:
        rows, next_cursor = paginate(qs, cursor=cursor, **page)  # type: ignore[arg-type]
    except RapportError:
        rows, next_cursor = paginate(qs, cursor=None, **page)  # type: ignore[arg-type]
    params = request.GET.copy()
    params.pop("cursor", None)
    return render(request, "policies/library.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "params": params.urlencode(),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_required
def new_document(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = me(request)
        membership = TeamMembership.objects.filter(person=person).select_related("team").first()
        if membership is None:
            form.add_error(None, "You belong to no team to own the document.")
        else:
            data = form.cleaned_data
            doc = run_action(form, "body", lambda: actions.create_document(
                person, kind=data["kind"], title=data["title"], body=data["body"],
                owner=person, team=membership.team,
                tags=[t for t in data["tags"].split(",") if t.strip()],
                client_audience=data["client_audience"] or "none",
                is_public=data["is_public"],
            ))  # fmt: skip
            if doc is not None:
                return redirect("policies:document", doc.pk)
    return render(request, "policies/new.html", {"form": form},
                  status=422 if form.errors else 200)  # fmt: skip


def document_context(request: HttpRequest, doc: Document, **forms: Any) -> dict[str, Any]:
    scope = my_scope(request)
    person = me(request)
    versions = list(queries.visible_versions(scope, doc))
    shown_number = request.GET.get("v", "")
    shown = next((v for v in versions if str(v.number) == shown_number), None)
    published = next((v for v in versions if v.pk == doc.published_id), None)
    shown = shown or published or (versions[0] if versions else None)
    latest = versions[0] if versions else None
    approvers = list(doc.approvers.select_related("person"))
    sees_drafts = queries.may_see_drafts(scope, doc, {a.person_id for a in approvers})
    redline = None
    a, b = request.GET.get("from", ""), request.GET.get("to", "")
    by_number = {str(v.number): v for v in versions}
    if a in by_number and b in by_number:
        redline = mark_safe(md.redline(by_number[a].body_md, by_number[b].body_md))  # noqa: S308 (escaped by redline)
    reviews = list(latest.reviews.select_related("reviewer")) if latest and sees_drafts else []
    signoffs = (
        list(latest.signoffs.select_related("person", "approver")) if latest and sees_drafts else []
    )
    next_step = None
    if latest is not None and latest.status == Status.IN_REVIEW:
        done = {s.approver_id for s in signoffs if s.decision == Decision.APPROVED
                and latest.submitted_at and s.created_at >= latest.submitted_at}  # fmt: skip
        next_step = next((s for s in approvers if s.pk not in done), None)
    task = None
    if shown is not None:
        task = ReadTask.objects.filter(
            version=shown, person=person, acknowledged_at__isnull=True
        ).first()
    return {
        "doc": doc, "versions": versions, "shown": shown, "latest": latest,
        "approvers": approvers, "sees_drafts": sees_drafts, "redline": redline,
        "redline_from": a, "redline_to": b, "reviews": reviews, "signoffs": signoffs,
        "next_step": next_step, "is_editor": queries.may_edit(scope, doc),
        "gate": actions.gate_problem(latest) if latest and sees_drafts else None,
        "proposals": list(queries.proposals_of(doc)[:50]),
        "exceptions": list(queries.recent_exceptions(doc)[:100]),
        "citations": list(queries.citing(doc)[:100]), "task": task,
        "questions": list(shown.questions.all()) if task and shown else [],
        "headings": md.headings(shown.body_md) if shown else [],
        "can_review": bool(latest and latest.status == Status.IN_REVIEW and sees_drafts
                           and latest.author_id != person.pk and doc.kind != "article"),
        "review_form": forms.get("review_form") or ReviewForm(),
        "signoff_form": forms.get("signoff_form") or SignOffForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "proposal_form": forms.get("proposal_form") or ProposalForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "reconfirm_form": ReconfirmForm(), "error": forms.get("error", ""),
        "check_count": latest.questions.count()
        if latest and latest.status == Status.DRAFT and queries.may_edit(scope, doc) else 0,
        "deflection": _deflection(doc),
        "now": clock.now(),
    }  # fmt: skip


def _deflection(doc: Document) -> dict[str, int]:
    if doc.kind != Kind.ARTICLE:
        return {}
    row = queries.deflections([doc.pk]).get(doc.pk, {"opened": 0, "deflected": 0})
    percent = round(100 * row["deflected"] / row["opened"]) if row["opened"] else 0
    return {**row, "percent": percent}


@require_GET
@staff_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    return render(request, "policies/document.html", document_context(request, doc))


def _again(request: HttpRequest, doc: Document, **forms: Any) -> HttpResponse:
    return render(request, "policies/document.html", document_context(request, doc, **forms),
                  status=422)  # fmt: skip


def _latest(doc: Document) -> Version:
    version = queries.latest_version(doc)
    if version is None:
        raise Http404("No version")
    return version


@require_http_methods(["GET", "POST"])
@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    latest = _latest(doc)
    initial = {
        "title": latest.title,
        "body": latest.body_md,
        "change_summary": latest.change_summary if latest.status == Status.DRAFT else "",
    }
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_action(form, "body", lambda: actions.edit(
            me(request), doc, body=data["body"], change_summary=data["change_summary"],
            title=data["title"]))  # fmt: skip
        if version is not None:
            messages.success(request, f"Saved draft version {version.number}.")
            return redirect(reverse("policies:document", args=[doc.pk]) + f"?v={version.number}")
    return render(request, "policies/edit.html", {"doc": doc, "form": form, "latest": latest},
                  status=422 if form.errors else 200)  # fmt: skip


@require_POST
@staff_required
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    doc = _document(request, pk)
    latest = _latest(doc)
    person = me(request)
    form = PublishForm(request.POST)
    try:
        if action == "submit":
            actions.submit(person, latest)
        elif action == "approve":
            actions.approve(person, latest)
        elif action == "publish":
            if not form.is_valid():
                return _again(request, doc, publish_form=form)
            actions.publish(
                person,
                latest,
                must_read=form.cleaned_data["must_read"],
                read_within_days=form.cleaned_data["read_within_days"],
            )
        elif action == "draft":
            actions.start_draft(person, doc)
        elif action == "reconfirm":
            note = ReconfirmForm(request.POST)
            actions.reconfirm(person, doc, note=note.data.get("note", "")[:20_000])
        else:
            raise Http404("No such action")
    except RapportError as error:
        return _again(request, doc, error=error.detail)
    messages.success(request, "Done.")
    return redirect("policies:document", doc.pk)


@require_POST
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run_action(
            form, "answer", lambda: actions.record_review(me(request), _latest(doc), **data)
        ):
            messages.success(request, "Review recorded.")
            return redirect("policies:document", doc.pk)
    return _again(request, doc, review_form=form)


@require_POST
@staff_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            "comment",
            lambda: actions.sign_off(
                me(request), _latest(doc), decision=data["decision"], comment=data["comment"]
            ),
        ):
            messages.success(request, "Sign-off recorded.")
            return redirect("policies:document", doc.pk)
    return _again(request, doc, signoff_form=form)


@require_POST
@staff_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    form = ProposalForm(request.POST)
    if form.is_valid():
        proposal = run_action(form, "what_is_wrong", lambda: actions.file_proposal(
            me(request), doc, **form.cleaned_data))  # fmt: skip
        if proposal is not None:
            messages.success(request, f"Proposal filed as ticket #{proposal.ticket_id}.")
            return redirect("policies:document", doc.pk)
    return _again(request, doc, proposal_form=form)


@require_POST
@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = queries.get_proposal(my_scope(request), pk)
    except NotFound:
        raise Http404("No such proposal")
    doc = _document(request, proposal.document_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["decision"] == "accept":
            version = run_action(form, "decision", lambda: actions.accept(me(request), proposal))
            if version is not None:
                messages.success(request, f"Accepted: draft version {version.number} started.")
                return redirect("policies:edit", doc.pk)
        elif run_action(form, "reason", lambda: actions.decline(
                me(request), proposal, reason=data["reason"])):  # fmt: skip
            messages.success(request, "Declined; the proposer is told why.")
            return redirect("policies:document", doc.pk)
    return _again(request, doc, decision_form=form)


@require_GET
@staff_required
def reading(request: HttpRequest) -> HttpResponse:
    person = me(request)
    tasks = list(queries.my_reading(person.pk))
    due = list(queries.reviews_due(person.pk))
    return render(request, "policies/reading.html", {
        "tasks": tasks, "due": due, "now": clock.now(),
    })  # fmt: skip


@require_POST
@staff_required
def acknowledge(request: HttpRequest, task_id: int) -> HttpResponse:
    person = me(request)
    task = ReadTask.objects.select_related("version__document").filter(
        pk=task_id, person=person).first()  # fmt: skip
    if task is None:
        raise Http404("No such task")
    answers: list[int] = []
    for i, _ in enumerate(task.version.questions.all()):
        raw = request.POST.get(f"q{i}", "")
        answers.append(int(raw) if raw.isdigit() and len(raw) < 3 else -1)
    try:
        actions.acknowledge(person, task.version, answers)
    except RapportError as error:
        messages.error(request, error.detail)
        return redirect(reverse("policies:document", args=[task.version.document_id])
                        + f"?v={task.version.number}")  # fmt: skip
    messages.success(request, f"Acknowledged “{task.version.title}” v{task.version.number}.")
    return redirect("policies:reading")


def proposal_link(proposal: Proposal) -> str:
    return reverse("desk:ticket", args=[proposal.ticket_id])
