"""Desk pages of quality reviews: the reviewers' queue, reviewing a conversation (the
thread beside the rubric), a review with its coaching and disputes, the disputes
list with dispute rates per category, and calibration sessions. Every write goes
through `people.actions.quality`; a domain error comes back as a message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Party
from rapport.people import quality_queries as queries
from rapport.people.actions import quality as actions
from rapport.people.actions import sampling
from rapport.people.models import Dispute, Review, Rubric, RubricCategory
from rapport.people.models.quality import ReviewKind
from rapport.tickets import queries as ticket_queries


def _attempt(request: HttpRequest, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except RapportError as error:
        messages.error(request, error.detail)
        return None


def _review(request: HttpRequest, pk: int) -> Review:
    try:
        return queries.get_review(my_scope(request), pk)
    except NotFound:
        raise Http404("No such review")


@require_GET
@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    person = me(request)
    queue = list(queries.review_queue(scope)[:100]) if queries.may_review(scope) else []
    visible = queries.visible_reviews(scope).select_related("agent", "reviewer",
                                                            "provider_party")  # fmt: skip
    mine = list(visible.filter(agent=person, kind=ReviewKind.REVIEW)[:20])
    own = list(visible.filter(agent=person, kind=ReviewKind.SELF)[:10])
    written = list(visible.filter(reviewer=person).exclude(agent=person)[:20])
    today = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    week = sampling.week_of(today.date())
    week_start = today - timedelta(days=today.weekday())
    providers: list[tuple[Party, float | None, int]] = []
    if queries.may_review(scope):
        scores = queries.quality_scores("provider", since=week_start)
        names = {p.pk: p for p in Party.objects.filter(pk__in=list(scores))}
        providers = sorted(((names[pk], s, n) for pk, (s, n) in scores.items()),
                           key=lambda row: row[0].name)  # fmt: skip
    return render(request, "people/quality/queue.html", {
        "queue": queue, "mine": mine, "own": own, "written": written,
        "may_review": queries.may_review(scope), "week": week,
        "open_disputes": queries.open_disputes(scope).count(),
        "my_score": queries.quality_score("agent", person.pk), "providers": providers,
    })  # fmt: skip


@require_POST
@staff_required
def draw_sample(request: HttpRequest) -> HttpResponse:
    if not queries.may_review(my_scope(request)):
        raise Http404("No such page")
    week = sampling.week_of(clock.now().date())
    added = sampling.draw_weekly_sample(week)
    messages.success(request, f"{added} conversation(s) added to the queue for the week of "
                     f"{week:%b %-d}.")  # fmt: skip
    return redirect("people:review_queue")


def _ratings_from(post: Any, rubric: Rubric) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for c in rubric.categories.all():
        raw = post.get(f"c{c.pk}", "")
        if raw == "na":
            out[c.pk] = None
        elif raw.isdigit() and len(raw) < 3:
            out[c.pk] = int(raw)
    return out


def _levels(c: RubricCategory) -> list[tuple[int, str]]:
    if c.scale == 2:
        return [(0, "No"), (1, "Yes")]
    return [(v, str(v)) for v in range(1, c.highest + 1)]


@require_http_methods(["GET", "POST"])
@staff_required
def review_conversation(request: HttpRequest, number: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        ticket = ticket_queries.get_ticket(scope, number)
    except NotFound:
        raise Http404("No such ticket")
    rubrics = list(queries.quality_rubrics())
    chosen = request.POST.get("rubric") or request.GET.get("rubric") or ""
    rubric = next((r for r in rubrics if str(r.pk) == chosen), rubrics[0] if rubrics else None)
    session = None
    session_id = request.POST.get("session") or request.GET.get("session") or ""
    if session_id.isdigit():
        session = queries.visible_sessions(scope).filter(pk=int(session_id)).first()
        if session is not None:
            rubric = next((r for r in rubrics if r.pk == session.rubric_id), rubric)
    if request.method == "POST" and rubric is not None:
        follow_up = request.POST.get("follow_up_on", "")
        try:
            follow_up_on = date.fromisoformat(follow_up) if follow_up else None
        except ValueError:
            follow_up_on = None
            messages.error(request, "The follow-up date is not a date.")
        review = _attempt(request, lambda: actions.submit_review(
            me(request), ticket, rubric, _ratings_from(request.POST, rubric),
            comment=request.POST.get("comment", ""),
            coaching_note=request.POST.get("coaching_note", ""), follow_up_on=follow_up_on,
            session=session,
        ))  # fmt: skip
        if review is not None:
            if session is not None:
                messages.success(request, "Scored. Scores stay hidden until the session closes.")
                return redirect("people:calibration", session.pk)
            return redirect("people:review", review.pk)
    thread = list(ticket_queries.thread(scope, ticket).select_related("author"))
    categories = [(c, _levels(c)) for c in rubric.categories.all()] if rubric else []
    return render(request, "people/quality/review.html", {
        "ticket": ticket, "thread": thread, "rubric": rubric, "rubrics": rubrics,
        "categories": categories, "session": session, "posted": request.POST,
        "credited": actions.credited_author(ticket),
    })  # fmt: skip


@require_GET
@staff_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    review = _review(request, pk)
    ratings = list(review.ratings.select_related("category"))
    disputes = list(review.disputes.select_related("raised_by", "arbitrator", "category"))
    return render(request, "people/quality/review_detail.html", {
        "review": review, "ratings": ratings, "disputes": disputes,
        "is_agent": review.agent_id == scope.person_id,
        "may_arbitrate": queries.may_arbitrate(scope, review),
        "categories": list(review.rubric.categories.all()),
    })  # fmt: skip


@require_POST
@staff_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if _attempt(request, lambda: actions.acknowledge_coaching(me(request), review)):
        messages.success(request, "Coaching acknowledged.")
    return redirect("people:review", pk)


@require_POST
@staff_required
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    raw = request.POST.get("category", "")
    category = None
    if raw.isdigit():
        category = RubricCategory.objects.filter(pk=int(raw), rubric_id=review.rubric_id).first()
    if _attempt(
        request,
        lambda: actions.dispute(
            me(request), review, category=category, reason=request.POST.get("reason", "")
        ),
    ):
        messages.success(request, "Dispute sent to your lead.")
    return redirect("people:review", pk)


@require_POST
@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    d = queries.visible_disputes(my_scope(request)).filter(pk=pk).first()
    if d is None:
        raise Http404("No such dispute")
    changed = None
    if request.POST.get("decision") == "change":
        changed = _ratings_from(request.POST, d.review.rubric) or None
    done = _attempt(request, lambda: actions.arbitrate(
        me(request), d, decision=request.POST.get("decision", ""),
        note=request.POST.get("note", ""), ratings=changed))  # fmt: skip
    if done is not None:
        messages.success(request, f"Dispute {done.get_status_display().lower()}.")
    return redirect("people:review", d.review_id)


@require_GET
@staff_required
def disputes(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    rows: list[Dispute] = list(queries.visible_disputes(scope)[:100])
    rates = [(r, queries.dispute_rates(r)) for r in queries.quality_rubrics()[:10]]
    return render(request, "people/quality/disputes.html", {"rows": rows, "rates": rates})


@require_GET
@staff_required
def calibrations(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    sessions = list(queries.visible_sessions(scope).prefetch_related("tickets")[:50])
    return render(request, "people/quality/calibrations.html", {"sessions": sessions})


@require_GET
@staff_required
def calibration(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        session = queries.get_session(scope, pk)
    except NotFound:
        raise Http404("No such session")
    report = queries.calibration_report(scope, session)
    tickets = list(session.tickets.all())
    reviewers = list(session.reviewers.all())
    categories = list(session.rubric.categories.all())
    rows = []
    for t in tickets:
        scored = report.scores.get(t.pk, {})
        rows.append((t, [(r, scored.get(r.pk)) for r in reviewers], scope.person_id in {
            r.pk for r in reviewers} and scope.person_id not in scored))  # fmt: skip
    agreement = [(c, *report.categories.get(c.pk, (None, None))) for c in categories]
    return render(request, "people/quality/calibration.html", {
        "session": session, "report": report, "rows": rows, "reviewers": reviewers,
        "agreement": agreement,
        "may_close": session.closed_at is None and (
            scope.sees_everything or session.created_by_id == scope.person_id),
        "drift": queries.drift([r.pk for r in reviewers]),
    })  # fmt: skip


@require_POST
@staff_required
def close_calibration(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = queries.get_session(my_scope(request), pk)
    except NotFound:
        raise Http404("No such session")
    if _attempt(request, lambda: actions.close_calibration(me(request), session)):
        messages.success(request, "Session closed: every score is shown.")
    return redirect("people:calibration", pk)
