"""Desk pages: "My training" (the people app's landing page), the team's training board
and a person's practice record. Writes go through `people.actions.training`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Person, Team
from rapport.people import training_queries as queries
from rapport.people.actions import training


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    person = me(request)
    scope = my_scope(request)
    rows = list(
        queries.assignments(scope)
        .filter(person=person)
        .select_related("document", "scenario")
        .order_by("completed_at", "due_at", "id")[:200]
    )
    teams = (
        Team.objects.all()
        if scope.sees_everything
        else Team.objects.filter(party_id__in=scope.lead_team_party_ids)
    )
    return render(request, "people/training/home.html", {
        "open": [a for a in rows if a.completed_at is None],
        "done": [a for a in rows if a.completed_at is not None][:20],
        "record": queries.record(scope, person), "now": clock.now(), "teams": list(teams),
        "panels": list(queries.assessments(scope).filter(
            seats__assessor=person, seats__submitted_at__isnull=True)[:20]),
    })  # fmt: skip


@require_POST
@staff_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.assignments(my_scope(request)).filter(pk=pk).first()
    if row is None:
        raise Http404("No such assignment")
    answers = [int(a) for a in request.POST.getlist("answers") if a.isdigit()][:50]
    try:
        training.acknowledge(me(request), row, answers)
        messages.success(request, f"Acknowledged: {row.title}.")
    except RapportError as error:
        messages.error(request, error.detail)
    return redirect("people:home")


@require_POST
@staff_required
def attended(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.assignments(my_scope(request)).filter(pk=pk).first()
    if row is None:
        raise Http404("No such assignment")
    try:
        training.mark_attended(me(request), row, request.POST.get("note", "")[:500])
        messages.success(request, f"Ticked as attended: {row.title}.")
    except RapportError as error:
        messages.error(request, error.detail)
    return redirect(
        "people:training-board" if request.POST.get("next") == "board" else "people:home"
    )


@require_GET
@staff_required
def board(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    teams = list(
        Team.objects.all()
        if scope.sees_everything
        else Team.objects.filter(party_id__in=scope.lead_team_party_ids)
    )
    if not teams:
        raise Http404("You lead no team")
    wanted = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), teams[0])
    # Strings made here, once: a 200-row board rendered its numbers and links through
    # the template's localisation and URL reversal at several times the queries' cost.
    prefix = reverse("people:training-record", args=[0]).removesuffix("0")
    board = queries.board(scope, team)
    overall = queries.Currency(0, 0, 0, 0)
    for r in board:
        c = r["currency"]
        overall = queries.Currency(overall.counted + c.counted, overall.on_time + c.on_time,
                                   overall.overdue + c.overdue, overall.open + c.open)  # fmt: skip
    rows = [
        {"name": r["person"].display_name, "url": f"{prefix}{r['person'].pk}",
         "currency": _percent(r["currency"].share),
         "on_time": f"{r['currency'].on_time} / {r['currency'].counted}",
         "open": str(r["currency"].open), "overdue": str(r["currency"].overdue),
         "late": r["currency"].overdue > 0}
        for r in board
    ]  # fmt: skip
    return render(request, "people/training/board.html", {
        "team": team, "teams": teams, "rows": rows, "overall": overall,
    })  # fmt: skip


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)} %"


@require_GET
@staff_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    person = Person.objects.filter(pk=pk, is_active=True).exclude(staff_role="").first()
    if person is None or not queries.may_see_person(scope, person.pk):
        raise Http404("No such person")
    return render(request, "people/training/record.html", {
        "record": queries.record(scope, person),
        "assignments": list(queries.assignments(scope).filter(person=person)[:200]),
        "now": clock.now(),
        "may_practise": person.pk != scope.person_id,
        "scenarios": list(queries.scenarios(scope).filter(is_active=True)[:200]),
    })  # fmt: skip
