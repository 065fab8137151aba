"""Desk pages of hiring and practice: scenarios (authoring, from a ticket), candidates,
running an assessment step by step (scoring as it goes, on a tablet), and the panel
view (blind until every assessor has submitted, then side by side with the agreement)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Person
from rapport.people import training_prediction as prediction
from rapport.people import training_queries as queries
from rapport.people.actions import training
from rapport.people.models import Outcome, ScenarioChannel, Temperament
from rapport.tickets import queries as ticket_queries


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


@require_GET
@staff_required
def scenarios(request: HttpRequest) -> HttpResponse:
    rows = list(queries.scenarios(my_scope(request)).order_by("title", "id")[:200])
    return render(request, "people/training/scenarios.html", {"rows": rows})


def _steps(raw: str) -> list[dict[str, Any]]:
    """One customer line per paragraph; "expected:" after ">>" and branches after "||"
    ("when => line")."""
    steps = []
    for block in [b.strip() for b in raw.replace("\r\n", "\n").split("\n\n") if b.strip()]:
        line, _, rest = block.partition(">>")
        expected, _, branch_text = rest.partition("||")
        branches = []
        for part in [p for p in branch_text.split("||") if p.strip()]:
            when, _, answer = part.partition("=>")
            branches.append({"when": when.strip(), "line": answer.strip()})
        steps.append({"line": line.strip(), "expected": expected.strip(), "branches": branches})
    return steps


def _dimensions(raw: str) -> list[dict[str, Any]]:
    """One dimension a line: "Name | level 1 | … | level 5"."""
    dims = []
    for line in [x.strip() for x in raw.splitlines() if x.strip()]:
        name, *anchors = [p.strip() for p in line.split("|")]
        dims.append({"name": name, "anchors": anchors})
    return dims


@require_http_methods(["GET", "POST"])
@staff_required
def new_scenario(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    error = None
    if data is not None:
        try:
            s = training.create_scenario(
                me(request), title=data.get("title", ""), channel=data.get("channel", ""),
                persona_name=data.get("persona_name", ""),
                persona_situation=data.get("persona_situation", ""),
                persona_wants=data.get("persona_wants", ""),
                temperament=data.get("temperament", ""), purpose=data.get("purpose", "hiring"),
                steps=_steps(data.get("script", "")),
                dimensions=_dimensions(data.get("dimensions", "")),
            )  # fmt: skip
            messages.success(request, "Scenario saved.")
            return redirect("people:scenario", s.pk)
        except RapportError as exc:
            error = exc
    return render(request, "people/training/scenario_new.html", {
        "data": data or {}, "error": error, "channels": ScenarioChannel.choices,
        "temperaments": Temperament.choices,
    })  # fmt: skip


@require_POST
@staff_required
def from_ticket(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    number = _int(request.POST.get("ticket"))
    ticket = ticket_queries.visible_tickets(scope).filter(pk=number or 0).first()
    if ticket is None:
        messages.error(request, "There is no such ticket.")
        return redirect("people:scenarios")
    try:
        s = training.scenario_from_ticket(me(request), ticket)
    except RapportError as exc:
        messages.error(request, exc.detail)
        return redirect("people:scenarios")
    messages.success(request, "Scenario drafted from the ticket, anonymised. Write the persona.")
    return redirect("people:scenario", s.pk)


@require_GET
@staff_required
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        s = queries.get_scenario(scope, pk)
    except NotFound:
        raise Http404("No such scenario")
    return render(request, "people/training/scenario.html", {
        "s": s, "admin": scope.is_admin, "steps": list(s.steps.all()),
        "dimensions": list(s.rubric.categories.all()), "documents": list(s.documents.all()),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_required
def candidates(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    if request.method == "POST":
        try:
            c = training.add_candidate(
                me(request), full_name=request.POST.get("full_name", ""),
                email=request.POST.get("email", ""), phone=request.POST.get("phone", ""),
            )  # fmt: skip
            return redirect("people:candidate", c.pk)
        except RapportError as exc:
            messages.error(request, exc.detail)
    rows = list(queries.candidates(scope)[:200])
    return render(request, "people/training/candidates.html", {
        "rows": rows, "may_add": scope.sees_everything,
        "prediction": prediction.prediction(scope) if scope.sees_everything else None,
    })  # fmt: skip


@require_GET
@staff_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        c = queries.get_candidate(scope, pk)
    except NotFound:
        raise Http404("No such candidate")
    return render(request, "people/training/candidate.html", {
        "c": c, "assessments": list(c.assessments.select_related("scenario")),
        "exams": list(c.exams.select_related("exam")),
        "decisions": list(c.decisions.select_related("decided_by")),
        "trainability": queries.trainability_of(c), "may_arrange": scope.sees_everything,
        "scenarios": list(queries.scenarios(scope).filter(is_active=True)),
        "staff": list(Person.objects.filter(is_active=True).exclude(staff_role="")[:500]),
        "outcomes": Outcome.choices,
    })  # fmt: skip


@require_POST
@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        c = queries.get_candidate(my_scope(request), pk)
        training.decide(me(request), c, outcome=request.POST.get("outcome", ""),
                        reasons=request.POST.get("reasons", ""))  # fmt: skip
        messages.success(request, "Decision recorded.")
    except NotFound:
        raise Http404("No such candidate")
    except RapportError as exc:
        messages.error(request, exc.detail)
    return redirect("people:candidate", pk)


@require_POST
@staff_required
def start(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    try:
        s = queries.get_scenario(scope, _int(request.POST.get("scenario")) or 0)
        c_id, t_id = _int(request.POST.get("candidate")), _int(request.POST.get("trainee"))
        c = queries.get_candidate(scope, c_id) if c_id else None
        trainee = Person.objects.filter(pk=t_id).first() if t_id else None
        if t_id and (trainee is None or not queries.may_see_person(scope, t_id)):
            raise NotFound("No such person")
        ids = [i for i in (_int(x) for x in request.POST.getlist("assessors")) if i][:6]
        previous_id = _int(request.POST.get("previous"))
        previous = queries.get_assessment(scope, previous_id) if previous_id else None
        a = training.start_assessment(
            me(request), s, candidate=c, trainee=trainee, previous=previous,
            assessors=list(Person.objects.filter(pk__in=ids)),
        )  # fmt: skip
    except NotFound:
        raise Http404("Not found")
    except RapportError as exc:
        messages.error(request, exc.detail)
        back = request.POST.get("back", "")
        return redirect(back if back.startswith("/people/") else reverse("people:home"))
    return redirect("people:assessment", a.pk)


def _assessment(request: HttpRequest, pk: int) -> Any:
    try:
        return queries.get_assessment(my_scope(request), pk)
    except NotFound:
        raise Http404("No such assessment")


@require_http_methods(["GET", "POST"])
@staff_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessor's page: the script one step at a time, and their own scores."""
    a = _assessment(request, pk)
    person = me(request)
    steps = list(a.scenario.steps.all())
    step = min(max(_int(request.GET.get("step") or request.POST.get("step")) or 0, 0),
               max(len(steps) - 1, 0))  # fmt: skip
    if request.method == "POST":
        categories = list(a.scenario.rubric.categories.all())
        levels = {c.pk: _int(request.POST.get(f"level-{c.pk}")) for c in categories}
        chosen = {k: v for k, v in levels.items() if v}
        notes = {c.pk: request.POST.get(f"note-{c.pk}", "")[:500] for c in categories}
        try:
            if chosen:
                training.score(person, a, chosen, {k: notes[k] for k in chosen})
            if request.POST.get("final"):
                training.submit(person, a)
                messages.success(request, "Scores submitted.")
                return redirect("people:assessment", a.pk)
            messages.success(request, "Scores saved.")
        except RapportError as exc:
            messages.error(request, exc.detail)
        return redirect(f"{reverse('people:assessment-run', args=[a.pk])}?step={step}")
    view = queries.panel(my_scope(request), a)
    mine = next((v for v in view.seats if v.is_mine), None)
    if mine is None:
        raise Http404("You are not on this panel")
    return render(request, "people/training/run.html", {
        "a": a, "steps": steps, "step": step, "current": steps[step] if steps else None,
        "categories": view.categories, "mine": mine, "levels": range(1, 6),
    })  # fmt: skip


@require_GET
@staff_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    scope = my_scope(request)
    view = queries.panel(scope, a)
    rows = [
        {"category": c, "levels": [None if v.hidden else v.levels.get(c.pk) for v in view.seats]}
        for c in view.categories
    ]
    return render(request, "people/training/panel.html", {
        "a": a, "view": view, "rows": rows, "outcomes": Outcome.choices,
        "on_panel": any(v.is_mine and not v.seat.submitted_at for v in view.seats),
        "may_decide": a.candidate_id is not None and view.revealed,
    })  # fmt: skip


@require_POST
@staff_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    try:
        training.give_feedback(me(request), a, request.POST.get("feedback", ""))
        messages.success(request, "Feedback recorded.")
    except RapportError as exc:
        messages.error(request, exc.detail)
    return redirect("people:assessment", a.pk)
