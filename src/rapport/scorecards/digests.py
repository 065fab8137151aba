"""Scheduled scorecard e-mails to the people who can act on them.

Recipients of a provider's digest: a team's leads, or a vendor's or contractor's
organisation admins; our managers; and for OLAs and UCs the counterpart — the leads
of the internal client team. Sent once per provider and period (DigestSent).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from rapport.agreements.models import Agreement, AgreementKind
from rapport.core import clock
from rapport.directory.models import (
    OrgMembership,
    Party,
    Person,
    StaffRole,
    Team,
    TeamMembership,
    TeamRole,
)
from rapport.directory.queries import Scope
from rapport.mail.outbound import queue_mail
from rapport.people import training_queries
from rapport.policies import queries as policy_queries
from rapport.scorecards import actions, charts, engine
from rapport.scorecards.display import hours_and_minutes
from rapport.scorecards.periods import Period, last_periods, period_containing

SYSTEM = Scope(person_id=None, staff_role="admin")
DIGEST_ROWS = 50


def recipients(provider: Party) -> list[Person]:
    people: dict[int, Person] = {}

    def add(rows: Any) -> None:
        for person in rows:
            if person.is_active and person.email:
                people.setdefault(person.pk, person)

    add(Person.objects.filter(staff_role=StaffRole.MANAGER))
    add(m.person for m in TeamMembership.objects.filter(
        team__party=provider, role=TeamRole.LEAD).select_related("person"))  # fmt: skip
    add(m.person for m in OrgMembership.objects.filter(
        organisation__party=provider, is_admin=True).select_related("person"))  # fmt: skip
    counterparts = Agreement.objects.filter(
        provider=provider, kind__in=[AgreementKind.OLA, AgreementKind.UC]
    ).values_list("client_id", flat=True)
    leads = TeamMembership.objects.filter(team__party_id__in=list(counterparts), role=TeamRole.LEAD)
    add(m.person for m in leads.select_related("person"))
    return sorted(people.values(), key=lambda p: p.pk)


def digest_content(provider: Party, period: Period) -> dict[str, str]:
    rows = engine.scorecards(SYSTEM, period, "provider", only=provider.pk)
    agents = [r for r in engine.scorecards(SYSTEM, period, "agent")
              if r["id"] in _agents_of(provider)]  # fmt: skip
    points = engine.series(SYSTEM, last_periods(period.kind, period.start, 6),
                           provider=provider.pk)  # fmt: skip
    context = {
        **_written_down(provider),
        "provider": provider, "period": period, "row": rows[0] if rows else None,
        "agents": agents, "chart": charts.trend_svg(points),
        "training_currency": training_queries.party_currency(provider.pk, period.since,
                                                             period.until),
        "training_overdue": training_queries.overdue_of_party(provider.pk),
        "resolution_median": hours_and_minutes(rows[0]["metrics"]["resolution_median_minutes"])
        if rows else None,
        "resolution_p90": hours_and_minutes(rows[0]["metrics"]["resolution_p90_minutes"])
        if rows else None,
        "url": settings.RAPPORT_BASE_URL.rstrip("/")
        + f"/scorecards/?period={period.kind}&date={period.start.isoformat()}",
    }  # fmt: skip
    return {
        "subject": f"{provider.name}: scorecard for {period.label}",
        "text": render_to_string("scorecards/digest.txt", context),
        "html": render_to_string("scorecards/digest.html", context),
    }


def _written_down(provider: Party) -> dict[str, Any]:
    """For a team: its members' overdue must-reads (for its leads to follow up) and the
    documents it owns whose periodic review is due or overdue."""
    team = Team.objects.filter(party=provider).first()
    if team is None:
        return {"overdue_reads": [], "reviews_due": []}
    return {
        "overdue_reads": list(policy_queries.overdue_reads_of_team(team.pk)[:DIGEST_ROWS]),
        "reviews_due": list(policy_queries.reviews_due_of_team(team.pk)[:DIGEST_ROWS]),
        "now": clock.now(),
    }


def _agents_of(provider: Party) -> set[int]:
    team = set(
        TeamMembership.objects.filter(team__party=provider).values_list("person_id", flat=True)
    )
    org = set(
        OrgMembership.objects.filter(organisation__party=provider).values_list(
            "person_id", flat=True
        )
    )
    return team | org


def send_digests(kind: str, day: date | None = None) -> int:
    """Mail the digests of the last complete `kind` period before `day`; how many."""
    today = day or clock.now().date()
    period = period_containing(kind, today).previous()
    active = engine.roll_up(engine.collect(period.since, period.until), "provider")
    sent = 0
    for provider in Party.objects.filter(pk__in=list(active)).order_by("pk"):
        people = recipients(provider)
        if not people:
            continue
        try:
            with transaction.atomic():
                actions.record_digest(provider, kind, period.start, [p.email for p in people])
                content = digest_content(provider, period)
                for person in people:
                    queue_mail(to=person.email, subject=content["subject"], text=content["text"],
                               html=content["html"], kind="digest")  # fmt: skip
        except IntegrityError:
            continue  # sent already (the scheduler ran twice)
        sent += 1
    return sent
