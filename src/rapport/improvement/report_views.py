"""Desk pages of what reviews lead to: corrective actions with their checks, the
Pareto (with the word-of-mouth estimate), the reviews behind a bar, and the admin's
settings (triggers, sampling, reviewers)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.improvement import actions, pareto, queries
from rapport.improvement.api_pareto import period_of
from rapport.improvement.forms import (
    CancelForm,
    ConfirmForm,
    PeriodForm,
    PreferencesForm,
    ReviewersForm,
    RuleForm,
)
from rapport.improvement.models import Reviewer, Trigger
from rapport.tickets.forms import run_action

PAGE = 100
STATES = ("proposed", "open", "done", "cancelled")


@require_GET
@staff_required
def action_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    qs = queries.visible_actions(my_scope(request)).select_related("review", "proposal")
    if state in STATES:
        qs = qs.filter(state=state)
    rows = list(qs.order_by("-id")[:PAGE])
    today = clock.now().date()
    done = [a for a in rows if a.done_at is not None]
    on_time = sum(1 for a in done if a.done_at and a.done_at.date() <= a.due_on)
    return render(
        request,
        "improvement/actions.html",
        {
            "rows": rows,
            "state": state,
            "states": STATES,
            "today": today,
            "on_time": round(100 * on_time / len(done)) if done else None,
        },
    )


@require_POST
@staff_required
def action_do(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (with the edits), mark done or cancel an action; back where it was shown."""
    try:
        action = queries.get_action(my_scope(request), pk)
    except NotFound:
        raise Http404("No such action")
    op = request.POST.get("op", "")
    back = request.POST.get("back", "")
    target = (
        back
        if back.startswith("/") and not back.startswith("//")
        else reverse("improvement:actions")
    )
    try:
        if op == "confirm":
            form = ConfirmForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request,
                    "Check the action's fields: "
                    + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()),
                )
                return redirect(target)
            d = form.cleaned_data
            actions.confirm(
                me(request),
                action,
                title=d["title"],
                detail=d["detail"],
                what_is_wrong=d["what_is_wrong"],
                why=d["why"],
                owner=d["owner"],
                due_on=d["due_on"],
            )
            messages.success(request, "Action confirmed.")
        elif op == "done":
            actions.complete(me(request), action)
            messages.success(request, "Done: its effectiveness check is scheduled.")
        elif op == "cancel":
            cancel = CancelForm(request.POST)
            if not cancel.is_valid():
                messages.error(request, "Say why the action is cancelled.")
                return redirect(target)
            actions.cancel(me(request), action, reason=cancel.cleaned_data["reason"])
            messages.success(request, "Action cancelled.")
    except RapportError as error:
        messages.error(request, error.detail)
    return redirect(target)


def _period(request: HttpRequest) -> tuple[PeriodForm, str, dt.datetime, dt.datetime]:
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    dimension = data.get("dimension") or "cause"
    try:
        since, until = period_of(data.get("since"), data.get("until"))
    except RapportError:
        since, until = period_of(None, None)
    return form, dimension, since, until


@require_GET
@staff_required
def pareto_page(request: HttpRequest) -> HttpResponse:
    form, dimension, since, until = _period(request)
    bars = pareto.pareto(since, until, dimension)
    base = reverse("improvement:reviews")

    def link(bar: pareto.Bar) -> str:
        query = {
            "dimension": dimension,
            "key": bar.key,
            "since": since.date().isoformat(),
            "until": until.date().isoformat(),
        }
        return f"{base}?{urlencode(query)}"

    factor = queries.preferences().word_of_mouth_factor
    return render(
        request,
        "improvement/pareto.html",
        {
            "form": form,
            "dimension": dimension,
            "dimensions": pareto.DIMENSIONS,
            "since": since.date(),
            "until": until.date(),
            "bars": [(b, link(b)) for b in bars],
            "total": sum(b.count for b in bars),
            "chart": mark_safe(pareto.svg(bars, link)),  # noqa: S308 (labels escaped in svg())
            "mouth": queries.word_of_mouth(since, until, factor),
            "period_query": urlencode(
                {"since": since.date().isoformat(), "until": until.date().isoformat()}
            ),
        },
    )


@require_GET
@staff_required
def reviews(request: HttpRequest) -> HttpResponse:
    """The reviews behind a Pareto bar, with their tickets."""
    _, dimension, since, until = _period(request)
    key = request.GET.get("key", "")[:40]
    qs = pareto.counted(since, until).filter(
        pk__in=queries.visible_reviews(my_scope(request)).values("pk")
    )
    qs = pareto.filter_reviews(qs, dimension, key).select_related(
        "ticket", "provider", "responsible", "reviewer", "team"
    )
    rows = list(qs.order_by("-opened_at")[:PAGE])
    return render(
        request,
        "improvement/reviews.html",
        {
            "rows": rows,
            "dimension": dimension,
            "key": key,
            "since": since.date(),
            "until": until.date(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def settings_page(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    if not scope.sees_everything:
        return render(request, "directory/forbidden.html", status=403)
    prefs = queries.preferences()
    rule_form, reviewers_form = RuleForm(), ReviewersForm()
    prefs_form = PreferencesForm(
        initial={
            "word_of_mouth_factor": prefs.word_of_mouth_factor,
            "effectiveness_days": prefs.effectiveness_days,
        }
    )
    if request.method == "POST":
        op = request.POST.get("op", "")
        done = None
        if op == "rule":
            rule_form = RuleForm(request.POST)
            if rule_form.is_valid():
                d = rule_form.cleaned_data
                done = run_action(
                    rule_form,
                    "share",
                    lambda: actions.set_rule(
                        me(request),
                        d["trigger"],
                        enabled=d["enabled"],
                        share=d["share"],
                        seed=d["seed"] or 0,
                    ),
                )
        elif op == "reviewers":
            reviewers_form = ReviewersForm(request.POST)
            if reviewers_form.is_valid():
                d = reviewers_form.cleaned_data
                done = run_action(
                    reviewers_form,
                    "people",
                    lambda: actions.set_reviewers(me(request), d["provider"], list(d["people"])),
                )
        elif op == "preferences":
            prefs_form = PreferencesForm(request.POST)
            if prefs_form.is_valid():
                d = prefs_form.cleaned_data
                done = run_action(
                    prefs_form,
                    "word_of_mouth_factor",
                    lambda: actions.set_preferences(me(request), **d),
                )
        if done is not None:
            messages.success(request, "Saved.")
            return redirect("improvement:settings")
    rules = {t: queries.rule_of(t) for t in Trigger.values}
    reviewers = list(
        Reviewer.objects.select_related("provider", "person").order_by(
            "provider__name", "person__full_name"
        )
    )
    return render(
        request,
        "improvement/settings.html",
        {
            "rules": [(value, label, rules[value]) for value, label in Trigger.choices],
            "reviewers": reviewers,
            "rule_form": rule_form,
            "reviewers_form": reviewers_form,
            "prefs_form": prefs_form,
        },
    )
