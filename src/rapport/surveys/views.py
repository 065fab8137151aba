"""Rating pages: one-click links from the e-mail (no sign-in) and the portal's page."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rapport.agreements.models import Agreement
from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.surveys import actions, links, queries
from rapport.surveys.forms import SurveySettingsForm
from rapport.surveys.models import SCALES, Survey, SurveySettings


def _by_token(request: HttpRequest, token: str) -> tuple[Survey | None, HttpResponse | None]:
    try:
        survey_id = links.survey_id_of(token)
    except links.LinkExpired:
        page = render(request, "surveys/link_problem.html", {"expired": True}, status=410)
        return None, page
    except links.LinkInvalid:
        page = render(request, "surveys/link_problem.html", {"expired": False}, status=404)
        return None, page
    survey = Survey.objects.select_related("ticket").filter(pk=survey_id).first()
    if survey is None:
        return None, render(request, "surveys/link_problem.html", {"expired": False}, status=404)
    return survey, None


def _form_values(request: HttpRequest, survey: Survey) -> tuple[dict[str, int], list[str]]:
    ratings: dict[str, int] = {}
    errors = []
    for metric in survey.metrics:
        raw = request.POST.get(metric, "").strip()
        if not raw:
            continue
        low, high = SCALES[metric]
        if not raw.isdigit() or not low <= int(raw) <= high:
            errors.append(f"{metric.upper()} is a whole number from {low} to {high}.")
            continue
        ratings[metric] = int(raw)
    return ratings, errors


def _page(request: HttpRequest, survey: Survey, *, action: str, errors: list[str],
          status: int = 200, thanks: bool = False) -> HttpResponse:  # fmt: skip
    context = actions.survey_context(survey)
    context.update({"action": action, "errors": errors, "thanks": thanks})
    return render(request, "surveys/survey.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def rate(request: HttpRequest, token: str, metric: str, value: int) -> HttpResponse:
    """One click in the e-mail records the answer; clicking again changes nothing."""
    survey, problem = _by_token(request, token)
    if problem is not None:
        return problem
    assert survey is not None
    if metric not in survey.metrics or value > SCALES[metric][1]:
        raise Http404("This survey does not ask that.")
    try:
        survey = actions.answer(survey, by_link=True, ratings={metric: value})
    except RapportError as exc:
        return _page(request, survey, action=request.path, errors=[exc.detail], status=exc.status)
    return redirect("surveys:survey", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    survey, problem = _by_token(request, token)
    if problem is not None:
        return problem
    assert survey is not None
    return _handle(request, survey, by_link=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest, number: int) -> HttpResponse:
    """The portal's rating page for the person who raised the request."""
    person = cast(Person, request.user)
    survey = queries.survey_for_respondent(person.pk, number)
    if survey is None:
        raise Http404("There is no survey for this request.")
    return _handle(request, survey, by_link=False)


def _handle(request: HttpRequest, survey: Survey, *, by_link: bool) -> HttpResponse:
    if request.method != "POST":
        return _page(request, survey, action=request.path, errors=[])
    ratings, errors = _form_values(request, survey)
    if errors:
        return _page(request, survey, action=request.path, errors=errors, status=422)
    comment = request.POST.get("comment") if survey.ask_comment else None
    actor = cast(Person, request.user) if request.user.is_authenticated else None
    try:
        survey = actions.answer(
            survey, actor=actor, by_link=by_link, ratings=ratings, comment=comment
        )
    except RapportError as exc:
        return _page(request, survey, action=request.path, errors=[exc.detail], status=exc.status)
    return _page(request, survey, action=request.path, errors=[], thanks=True)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """What an agreement's clients are asked once their ticket is solved: staff read
    it, admins change it (through `actions.configure`, which enforces both)."""
    person = cast(Person, request.user)
    scope = scope_for(person)
    if not scope.is_staff:
        raise PermissionDenied("Survey settings are for our staff.")
    found = Agreement.objects.select_related("provider", "client").filter(pk=agreement_id).first()
    if found is None:
        raise Http404("No such agreement.")
    row = SurveySettings.objects.filter(agreement=found).first()
    status = 200
    if request.method == "POST":
        if not scope.is_admin:
            raise PermissionDenied("Only an admin can change survey settings.")
        form = SurveySettingsForm(request.POST)
        if form.is_valid():
            try:
                actions.configure(person, found, **form.cleaned_data)
            except RapportError as error:
                form.add_error(error.field if error.field in form.fields else None, error.detail)
            else:
                messages.success(request, "Survey settings saved.")
                return redirect("surveys:settings", agreement_id=found.pk)
        status = 422
    else:
        form = SurveySettingsForm(initial=SurveySettingsForm.initial_for(row))
    context = {"agreement": found, "form": form, "is_admin": scope.is_admin, "saved": row}
    return render(request, "surveys/settings.html", context, status=status)
