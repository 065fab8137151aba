"""Desk pages of outcome reviews: my queue, a review, problems, and the complaint
button on a message. Every write goes through `improvement.actions`; a domain error
is shown on its form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.improvement import actions, queries
from rapport.improvement.forms import CloseProblemForm, ConfirmForm, ProblemForm, ReviewForm
from rapport.improvement.models import ActionState, Cause, Problem, Review, ReviewStatus
from rapport.policies import queries as policy_queries
from rapport.tickets.forms import run_action
from rapport.tickets.models import Message

PAGE = 100
TABS = {"mine": "Mine", "all": "All open", "closed": "Closed"}


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """My reviews: the queue of open reviews given to me (managers also get the ones
    nobody was given), and every open or closed review I may see."""
    scope = my_scope(request)
    tab = request.GET.get("tab", "mine")
    tab = tab if tab in TABS else "mine"
    if tab == "mine":
        qs = queries.my_queue(scope)
    else:
        status = ReviewStatus.CLOSED if tab == "closed" else ReviewStatus.OPEN
        qs = queries.visible_reviews(scope).filter(status=status)
    rows = list(qs.order_by("-opened_at", "-id")[:PAGE])
    return render(request, "improvement/home.html", {"rows": rows, "tab": tab, "tabs": TABS})


def _review(request: HttpRequest, pk: int) -> Review:
    try:
        return queries.get_review(my_scope(request), pk)
    except NotFound:
        raise Http404("No such review")


def _review_form(request: HttpRequest, review: Review, data: Any = None) -> ReviewForm:
    docs = policy_queries.visible_documents(my_scope(request))
    initial: dict[str, Any] = {
        "cause": review.cause,
        "cause_reason": review.cause_reason,
        "responsible": review.responsible_id,
        "documents": [d.pk for d in review.documents.all()],
    }
    for i, why in enumerate(review.whys[:5], 1):
        initial[f"why{i}"] = why
    return ReviewForm(data, documents=docs, initial=initial)


@require_http_methods(["GET", "POST"])
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _review(request, pk)
    form = _review_form(request, item)
    if request.method == "POST":
        op = request.POST.get("op", "save")
        if op in ("save", "close"):
            form = _review_form(request, item, request.POST)
            if form.is_valid() and item.status == ReviewStatus.OPEN:
                data = form.cleaned_data

                def save_and_close() -> Review:
                    actions.record(
                        me(request),
                        item,
                        cause=data["cause"],
                        cause_reason=data["cause_reason"],
                        responsible=data["responsible"],
                        whys=form.whys,
                        documents=list(data["documents"]),
                    )
                    return actions.close(me(request), item) if op == "close" else item

                if run_action(form, "cause", save_and_close) is not None:
                    messages.success(request, "Review closed." if op == "close" else "Saved.")
                    return redirect("improvement:review", pk=item.pk)
        elif op == "agree":
            try:
                actions.agree_personnel(me(request), item)
                messages.success(request, "Your agreement is recorded: the cause counts.")
            except RapportError as error:
                messages.error(request, error.detail)
            return redirect("improvement:review", pk=item.pk)
        elif op == "take":
            try:
                actions.assign(me(request), item, me(request))
            except RapportError as error:
                messages.error(request, error.detail)
            return redirect("improvement:review", pk=item.pk)
        elif op == "group":
            raw = request.POST.get("problem", "")
            problem = None
            if raw.isdigit() and len(raw) < 19:
                problem = queries.visible_problems(my_scope(request)).filter(pk=int(raw)).first()
            if problem is None:
                messages.error(request, "Choose a problem.")
            else:
                actions.group(me(request), problem, item)
            return redirect("improvement:review", pk=item.pk)
    return render(request, "improvement/review.html", _review_context(request, item, form))


def _review_context(request: HttpRequest, item: Review, form: ReviewForm) -> dict[str, Any]:
    ticket = item.ticket
    proposed = list(item.actions.select_related("owner", "document", "proposal"))
    return {
        "review": item,
        "form": form,
        "timeline": queries.timeline(ticket),
        "survey": queries.survey_of(ticket),
        "chain": queries.chain_of(ticket),
        "documents": list(item.documents.all()),
        "actions": proposed,
        "confirm_forms": {
            a.pk: ConfirmForm(
                initial={
                    "title": a.title,
                    "what_is_wrong": a.what_is_wrong,
                    "why": a.why,
                    "detail": a.detail,
                    "owner": a.owner_id,
                    "due_on": a.due_on,
                }
            )
            for a in proposed
            if a.state == ActionState.PROPOSED
        },
        "problems": list(queries.visible_problems(my_scope(request)).filter(status="open")[:50]),
        "needs_agreement": item.cause == Cause.PERSONNEL
        and item.agreed_by_id is None
        and item.status == ReviewStatus.CLOSED,
        "me_id": me(request).pk,
    }


@require_http_methods(["GET", "POST"])
@staff_required
def problems(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = [int(i) for i in request.POST.getlist("reviews")[:100] if i.isdigit()]
        reviews = list(queries.visible_reviews(scope).filter(pk__in=ids))
        data = form.cleaned_data
        made = run_action(
            form,
            "title",
            lambda: actions.create_problem(
                me(request), title=data["title"], cause=data["cause"], reviews=reviews
            ),
        )
        if made is not None:
            return redirect("improvement:problem", pk=made.pk)
    rows = list(queries.visible_problems(scope).order_by("status", "-created_at")[:PAGE])
    return render(request, "improvement/problems.html", {"rows": rows, "form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        item: Problem = queries.get_problem(scope, pk)
    except NotFound:
        raise Http404("No such problem")
    form = CloseProblemForm(request.POST or None, initial={"cause": item.cause})
    if request.method == "POST" and form.is_valid():
        closed = run_action(
            form,
            "cause",
            lambda: actions.close_problem(me(request), item, cause=form.cleaned_data["cause"]),
        )
        if closed is not None:
            messages.success(request, "Problem closed; the corrective actions are proposed.")
            return redirect("improvement:problem", pk=item.pk)
    reviews = list(queries.visible_reviews(scope).filter(problem=item)[:PAGE])
    acts = list(item.actions.select_related("owner", "document"))
    return render(
        request,
        "improvement/problem.html",
        {"problem": item, "reviews": reviews, "actions": acts, "form": form},
    )


@require_POST
@staff_required
def flag_complaint(request: HttpRequest, message_id: int) -> HttpResponse:
    """The desk's "Complaint" button on a client's message (htmx): flags it once."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message")
    try:
        actions.flag_complaint(me(request), message, note=request.POST.get("note", "")[:500])
    except NotFound:
        raise Http404("No such message")
    return HttpResponse(
        '<span class="badge cat-open" role="status">Complaint: a review opens</span>'
    )
