"""The staff pulse: answering (every staff member), one's own comments and the replies
to them, results per team (suppressed below the threshold) with leads' replies, and
team health beside them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Team
from rapport.people import pulse_queries as queries
from rapport.people.actions import pulse as actions
from rapport.people.models import PulseComment, PulseRound
from rapport.people.models.pulse import ENPS_QUESTION, ITEMS

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365}


@require_http_methods(["GET", "POST"])
@staff_required
def pulse(request: HttpRequest) -> HttpResponse:
    person = me(request)
    scope = my_scope(request)
    now = clock.now()
    if request.method == "POST":
        raw = request.POST.get("round", "")
        r = PulseRound.objects.select_related("survey").filter(
            pk=int(raw) if raw.isdigit() else 0).first()  # fmt: skip
        if r is None:
            raise Http404("No such pulse")
        enps = request.POST.get("enps", "")
        items = {
            k: int(v)
            for k in r.survey.items
            if (v := request.POST.get(f"item_{k}", "")).isdigit() and len(v) == 1
        }
        try:
            actions.answer(person, r, enps=int(enps) if enps.isdigit() else -1, items=items,
                           comment=request.POST.get("comment", ""))  # fmt: skip
            messages.success(request, "Thank you — your answer is anonymous.")
            return redirect("people:pulse")
        except RapportError as error:
            messages.error(request, error.detail)
    days = PERIOD_DAYS.get(request.GET.get("days", ""), 90)
    since = now - timedelta(days=days)
    groups = queries.results(since, now)
    teams = list(Team.objects.all())
    led = {t.pk for t in teams if scope.sees_everything or t.party_id in scope.lead_team_party_ids}
    health = queries.team_health(teams, since, now, now)
    return render(request, "people/pulse/pulse.html", {
        "open_rounds": queries.open_rounds_for(person.pk, now), "question": ENPS_QUESTION,
        "items": ITEMS, "mine": queries.my_comments(person.pk), "groups": groups,
        "led": {str(pk) for pk in led}, "health": health, "days": days,
        "scale": range(0, 11), "likert": range(1, 6),
    })  # fmt: skip


@require_POST
@staff_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    comment = PulseComment.objects.filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    try:
        actions.reply_to_comment(me(request), comment, text=request.POST.get("text", ""))
        messages.success(request, "Reply posted; the author reads it without being named.")
    except NotFound:
        raise Http404("No such comment")
    except RapportError as error:
        messages.error(request, error.detail)
    return redirect("people:pulse")
