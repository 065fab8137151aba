"""The managers' dashboard, the tickets behind each figure, exports, weighted cards."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from rapport.core import clock, errors
from rapport.directory.models import Party, Person
from rapport.directory.queries import Scope, scope_for
from rapport.policies import queries as policy_queries
from rapport.scorecards import actions, charts, engine, exports, queries, weighted
from rapport.scorecards.display import hours_and_minutes
from rapport.scorecards.exports import LABELS
from rapport.scorecards.forms import RatingForm, WeightedForm
from rapport.scorecards.models import Criterion
from rapport.scorecards.periods import KINDS, Period, last_periods, period_containing
from rapport.surveys.queries import measured_parties, recent_comments

SHOWN = ("volume_in", "solved", "backlog", "first_response_attainment", "resolution_attainment",
         "resolution_median_minutes", "reopen_rate", "csat", "nps", "ces",
         "survey_response_rate")  # fmt: skip


def _scope(request: HttpRequest) -> Scope:
    scope = scope_for(cast(Person, request.user))
    try:
        measured_parties(scope)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.detail)
    return scope


def _choices(request: HttpRequest) -> tuple[Period, str]:
    kind = request.GET.get("period", "month")
    if kind not in KINDS:
        kind = "month"
    try:
        day = date.fromisoformat(request.GET.get("date", "")[:10])
    except ValueError:
        day = clock.now().date()
    dimension = request.GET.get("dimension", "provider")
    if dimension not in engine.DIMENSIONS:
        dimension = "provider"
    return period_containing(kind, day), dimension


def _shown(metric: str, value: Any) -> Any:
    return hours_and_minutes(value) if metric.endswith("_minutes") else value


def _trend_shown(metric: str, change: float | None) -> str | None:
    if change is None:
        return None
    if metric.endswith("_minutes"):
        shown = hours_and_minutes(change) or ""
        return shown if shown.startswith("−") else f"+{shown}"
    return f"{change:+g}"


def _cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["cells"] = [
            {"metric": m, "value": row["metrics"][m], "shown": _shown(m, row["metrics"][m]),
             "trend": row["trend"][m], "linked": m in queries.BEHIND,
             "trend_shown": _trend_shown(m, row["trend"][m])}
            for m in SHOWN
        ]  # fmt: skip
    return rows


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    period, dimension = _choices(request)
    rows = _cells(engine.scorecards(scope, period, dimension))
    points = engine.series(scope, last_periods(period.kind, period.start, 6))
    worst_agreements = (
        engine.scorecards(scope, period, "agreement")[:5] if dimension != "agreement" else rows[:5]
    )
    context = {
        "period": period, "dimension": dimension, "rows": rows, "kinds": KINDS,
        "dimensions": engine.DIMENSIONS, "chart": charts.trend_svg(points),
        "labels": [LABELS[m] for m in SHOWN], "worst": rows[:5] if dimension == "provider" else [],
        "worst_agreements": worst_agreements, "comments": recent_comments(scope),
        "watermelons": [r for r in rows if r["watermelon"]],
        "previous": period.previous(), "next": period.next(),
        "acknowledgements": policy_queries.acknowledgement_by_team(scope),
    }  # fmt: skip
    return render(request, "scorecards/dashboard.html", context)


@login_required
@require_GET
def tickets(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    period, dimension = _choices(request)
    metric = request.GET.get("metric", "")
    ident = request.GET.get("id", "")
    if not ident.isdigit() or metric not in queries.BEHIND or len(ident) > 18:
        raise Http404("No such figure.")
    rows = list(queries.tickets_behind(scope, period, dimension, int(ident), metric)[:200])
    context = {"period": period, "dimension": dimension, "metric": LABELS[metric],
               "tickets": rows}  # fmt: skip
    return render(request, "scorecards/tickets.html", context)


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "pdf"):
        raise Http404("Scorecards export as CSV or PDF.")
    scope = _scope(request)
    period, dimension = _choices(request)
    rows = engine.scorecards(scope, period, dimension)
    name = f"scorecards-{dimension}-{period.kind}-{period.start.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows, period, dimension), content_type="text/csv")
    else:
        points = engine.series(scope, last_periods(period.kind, period.start, 6))
        pdf = exports.to_pdf(rows, period, dimension, charts.trend_svg(points))
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _card_page(
    request: HttpRequest, scope: Scope, card: Any, form: RatingForm | None = None, status: int = 200
) -> HttpResponse:
    today = clock.now().date()
    result = weighted.evaluate(scope, card, today)
    manual = [c for c in card.criteria.all() if c.metric == Criterion.MANUAL]
    context = {
        "card": card,
        "result": result,
        # Managers rate the manual criteria at review, for the period containing today.
        "can_rate": scope.sees_everything and bool(manual),
        "rating_form": form or RatingForm(criteria=manual),
        "period": period_containing(card.period_kind, today),
    }
    return render(request, "scorecards/weighted.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def weighted_card(request: HttpRequest, card_id: int) -> HttpResponse:
    scope = _scope(request)
    try:
        card = queries.get_weighted(scope, card_id)
    except errors.NotFound:
        raise Http404("No such scorecard.")
    if request.method == "GET":
        return _card_page(request, scope, card)
    form = RatingForm(request.POST, criteria=list(card.criteria.all()))
    if form.is_valid():
        criterion = next(c for c in card.criteria.all() if c.pk == form.cleaned_data["criterion"])
        try:
            actions.rate(
                cast(Person, request.user), criterion, day=clock.now().date(),
                score=form.cleaned_data["score"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.detail)
        except errors.RapportError as error:
            form.add_error("score" if error.field == "score" else None, error.detail)
        else:
            messages.success(request, f"Rated {criterion.name}.")
            return redirect("scorecards:weighted", card_id=card.pk)
    return _card_page(request, scope, card, form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def weighted_new(request: HttpRequest) -> HttpResponse:
    """Set up a weighted scorecard (managers and admins, as `actions.create_weighted`)."""
    scope = _scope(request)
    if not scope.sees_everything:
        raise PermissionDenied("Only a manager or an admin can set up scorecards.")
    status = 200
    if request.method == "POST":
        form = WeightedForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                card = actions.create_weighted(
                    cast(Person, request.user),
                    provider=Party.objects.get(pk=data["provider"]), name=data["name"],
                    criteria=form.criteria(), period_kind=data["period_kind"],
                    history=data["history"], standings=data["standings"],
                )  # fmt: skip
            except errors.RapportError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.detail)
            else:
                messages.success(request, f"Scorecard “{card.name}” set up.")
                return redirect("scorecards:weighted", card_id=card.pk)
        status = 422
    else:
        form = WeightedForm()
    return render(request, "scorecards/weighted_form.html", {"form": form}, status=status)


@login_required
@require_GET
def weighted_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    cards = list(queries.visible_weighted(scope))
    today = clock.now().date()
    results = [weighted.evaluate(scope, card, today) for card in cards]
    context = {"results": results, "can_create": scope.sees_everything}
    return render(request, "scorecards/weighted_list.html", context)
