"""Reads of the profile pages: a client (an organisation or team we serve, or a vendor
serving us) and a person (a contact or a colleague).

Everything is read through the person's scope: tickets as `tickets.queries.
visible_tickets`, ratings as `surveys.queries.visible_surveys`; staff-only notes only
for staff. Each panel is one query with a fixed limit, so a profile costs the same
number of statements for a client with ten tickets or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from rapport.agreements.models import Agreement
from rapport.core.choices import ACTIVE_CATEGORIES
from rapport.core.errors import NotFound
from rapport.desk.models import ClientNote
from rapport.directory.models import Organisation, OrgMembership, Party, Person, TeamMembership
from rapport.directory.queries import Scope
from rapport.surveys import formulas
from rapport.surveys.models import Survey, SurveyState
from rapport.surveys.queries import visible_surveys
from rapport.tickets.models import Ticket
from rapport.tickets.queries import visible_tickets

TICKETS = 25
RATINGS = 20
NOTES = 50
MEMBERS = 50


@dataclass
class Profile:
    tickets: list[Ticket]
    counts: dict[str, int]
    ratings: list[Survey]
    satisfaction: dict[str, Any]
    agreements: list[Agreement]
    handoffs: list[Ticket]
    notes: list[ClientNote]
    extra: dict[str, Any] = field(default_factory=dict)


def _require_staff(scope: Scope) -> None:
    if not scope.is_staff:
        raise NotFound("Profiles are for staff.")


def _tickets(scope: Scope, where: Q) -> tuple[list[Ticket], dict[str, int]]:
    qs = visible_tickets(scope).filter(where)
    latest = list(
        qs.select_related(
            "status", "provider_party", "client_party", "requester", "assignee"
        ).order_by("-updated_at", "-id")[:TICKETS]
    )
    counts = qs.aggregate(
        total=Count("id"),
        unsolved=Count("id", filter=Q(status_category__in=ACTIVE_CATEGORIES)),
    )
    return latest, counts


def _ratings(scope: Scope, where: Q) -> tuple[list[Survey], dict[str, Any]]:
    answered = visible_surveys(scope).filter(where, state=SurveyState.ANSWERED)
    latest = list(
        answered.select_related("respondent", "provider_party", "agent").order_by(
            "-answered_at", "-id"
        )[:RATINGS]
    )
    totals = answered.aggregate(
        n=Count("id"),
        csat_n=Count("csat"),
        csat_sat=Count("id", filter=Q(csat__gte=4)),
        nps_n=Count("nps"),
        nps_pro=Count("id", filter=Q(nps__gte=9)),
        nps_det=Count("id", filter=Q(nps__lte=6)),
    )
    return latest, {
        "answered": totals["n"],
        "csat": formulas.csat(totals["csat_sat"], totals["csat_n"]),
        "nps": formulas.nps(totals["nps_pro"], totals["nps_det"], totals["nps_n"]),
    }


def _open_handoffs(scope: Scope, where: Q) -> list[Ticket]:
    return list(
        visible_tickets(scope)
        .filter(where, parent__isnull=False, status_category__in=ACTIVE_CATEGORIES)
        .select_related("status", "provider_party", "client_party")
        .order_by("created_at", "id")[:TICKETS]
    )


def client_profile(scope: Scope, party_id: int) -> tuple[Party, Organisation | None, Profile]:
    """A client party's page: its tickets (every status), ratings, agreements, open
    hand-offs (of its tickets, or handed to it when it is a vendor), people and notes."""
    _require_staff(scope)
    party = Party.objects.filter(pk=party_id).first()
    if party is None:
        raise NotFound(f"There is no client {party_id}.")
    organisation = Organisation.objects.filter(party=party).first()
    tickets, counts = _tickets(scope, Q(client_party=party) | Q(provider_party=party))
    ratings, satisfaction = _ratings(scope, Q(ticket__client_party=party))
    agreements = list(
        Agreement.objects.filter(Q(client=party) | Q(provider=party))
        .select_related("provider", "client")
        .order_by("kind", "name", "id")
    )
    handoffs = _open_handoffs(scope, Q(chain_root__client_party=party) | Q(provider_party=party))
    members: list[Person] = []
    if organisation is not None:
        members = [
            m.person
            for m in OrgMembership.objects.filter(organisation=organisation)
            .select_related("person")
            .order_by("person__full_name", "person__id")[:MEMBERS]
        ]
    notes = list(ClientNote.objects.filter(party=party).select_related("author")[:NOTES])
    profile = Profile(tickets, counts, ratings, satisfaction, agreements, handoffs, notes,
                      extra={"members": members})  # fmt: skip
    return party, organisation, profile


def person_profile(scope: Scope, person_id: int) -> tuple[Person, Profile]:
    """A person's page: tickets they asked for or were assigned (every status), their
    ratings (given, or earned as the answering agent), the agreements of their
    organisations and teams, open hand-offs of their tickets, and notes."""
    _require_staff(scope)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"There is no person {person_id}.")
    theirs = Q(requester=person) | Q(assignee=person)
    tickets, counts = _tickets(scope, theirs)
    ratings, satisfaction = _ratings(scope, Q(respondent=person) | Q(agent=person))
    orgs = list(
        OrgMembership.objects.filter(person=person)
        .select_related("organisation__party")
        .order_by("organisation__name")
    )
    teams = list(
        TeamMembership.objects.filter(person=person).select_related("team__party")
        .order_by("team__name")
    )  # fmt: skip
    parties = [m.organisation.party_id for m in orgs] + [m.team.party_id for m in teams]
    agreements = list(
        Agreement.objects.filter(Q(client_id__in=parties) | Q(provider_id__in=parties))
        .select_related("provider", "client")
        .order_by("kind", "name", "id")
    )
    handoffs = _open_handoffs(scope, Q(parent__requester=person) | Q(parent__assignee=person))
    notes = list(ClientNote.objects.filter(person=person).select_related("author")[:NOTES])
    profile = Profile(tickets, counts, ratings, satisfaction, agreements, handoffs, notes,
                      extra={"organisations": orgs, "teams": teams})  # fmt: skip
    return person, profile
