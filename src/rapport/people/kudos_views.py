"""The kudos wall (company or a team), giving kudos, and the customer compliments a
lead passes on in one click."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Person, Team
from rapport.people import kudos_queries as queries
from rapport.people.actions import recognition as actions
from rapport.people.models import CompanyValue, Compliment
from rapport.tickets import queries as ticket_queries


def _pick(model: Any, raw: str, **extra: Any) -> Any:
    return model.objects.filter(pk=int(raw), **extra).first() if raw.isdigit() else None


@require_http_methods(["GET", "POST"])
@staff_required
def kudos_wall(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    person = me(request)
    if request.method == "POST":
        p = request.POST
        try:
            ticket = None
            if p.get("ticket", "").isdigit():
                ticket = ticket_queries.get_ticket(scope, int(p["ticket"]), field="ticket")
            recipient = p.get("to", "")
            actions.give_kudos(
                person, message=p.get("message", ""),
                to_person=_pick(Person, recipient[1:], is_active=True)
                if recipient.startswith("p") else None,
                to_team=_pick(Team, recipient[1:]) if recipient.startswith("t") else None,
                from_team=_pick(Team, p.get("from_team", "")),
                ticket=ticket, value=_pick(CompanyValue, p.get("value", "")),
            )  # fmt: skip
            messages.success(request, "Kudos sent.")
            return redirect(request.get_full_path())
        except (RapportError, NotFound) as error:
            messages.error(request, error.detail)
    raw_team = request.GET.get("team", "")
    team = _pick(Team, raw_team)
    teams = list(Team.objects.all())
    lead_teams = [t.pk for t in teams if t.party_id in scope.lead_team_party_ids]
    compliments = list(
        queries.offered_compliments(None if scope.sees_everything else lead_teams)[:20]
    ) if (scope.sees_everything or lead_teams) else []  # fmt: skip
    return render(request, "people/kudos/wall.html", {
        "rows": list(queries.wall(team_id=team.pk if team else None)[:50]),
        "team": team, "teams": teams, "values": list(queries.values()),
        "colleagues": list(Person.objects.exclude(staff_role="").exclude(pk=person.pk)
                           .filter(is_active=True)[:500]),
        "my_teams": [t for t in teams if t.party_id in scope.team_party_ids],
        "compliments": compliments,
    })  # fmt: skip


@require_POST
@staff_required
def pass_on(request: HttpRequest, pk: int) -> HttpResponse:
    compliment = Compliment.objects.filter(pk=pk).first()
    if compliment is None:
        raise Http404("No such compliment")
    try:
        if request.POST.get("dismiss"):
            actions.dismiss_compliment(me(request), compliment)
            messages.success(request, "Compliment dismissed.")
        else:
            actions.pass_on_compliment(me(request), compliment)
            messages.success(request, "The customer's words reached the agent as kudos.")
    except NotFound:
        raise Http404("No such compliment")
    except RapportError as error:
        messages.error(request, error.detail)
    return redirect("people:kudos_wall")
