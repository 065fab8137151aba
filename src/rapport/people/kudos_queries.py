"""Reads of kudos: the walls, counts for scorecards, and team-to-team edges for the
relationship map. Kudos are for staff to read; every query here is one statement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from rapport.people.models import CompanyValue, Compliment, Kudos
from rapport.people.models.recognition import ComplimentState


def wall(*, team_id: int | None = None, person_id: int | None = None) -> QuerySet[Kudos]:
    """Newest first; a team's wall holds kudos to the team and to its members."""
    qs = Kudos.objects.select_related("giver", "from_team", "to_person", "to_team", "value")
    if team_id is not None:
        qs = qs.filter(
            Q(to_team_id=team_id) | Q(to_person__team_memberships__team_id=team_id)
        ).distinct()
    if person_id is not None:
        qs = qs.filter(Q(to_person_id=person_id) | Q(giver_id=person_id))
    return qs


def _period(qs: QuerySet[Kudos], since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def person_counts(
    ids: list[int], *, since: datetime | None = None, until: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Person id → (given, received)."""
    qs = _period(Kudos.objects.all(), since, until)
    given = dict(qs.filter(giver_id__in=ids).values_list("giver_id").annotate(n=Count("id"))
                 .order_by())  # fmt: skip
    received = dict(qs.filter(to_person_id__in=ids).values_list("to_person_id")
                    .annotate(n=Count("id")).order_by())  # fmt: skip
    return {pk: (given.get(pk, 0), received.get(pk, 0)) for pk in ids}


def team_counts(
    ids: list[int] | None = None, *, since: datetime | None = None, until: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Team id → (given on the team's behalf, received by the team or its members)."""
    qs = _period(Kudos.objects.all(), since, until)
    given = dict(qs.filter(from_team__isnull=False).values_list("from_team_id")
                 .annotate(n=Count("id")).order_by())  # fmt: skip
    to_team = dict(qs.filter(to_team__isnull=False).values_list("to_team_id")
                   .annotate(n=Count("id")).order_by())  # fmt: skip
    to_members = dict(
        qs.filter(to_person__isnull=False)
        .values_list("to_person__team_memberships__team_id").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    keys = ids if ids is not None else sorted({*given, *to_team, *to_members} - {None})
    return {pk: (given.get(pk, 0), to_team.get(pk, 0) + to_members.get(pk, 0)) for pk in keys}


def team_edges(
    *, since: datetime | None = None, until: datetime | None = None
) -> dict[tuple[int, int], int]:
    """(from team's party, to team's party) → kudos: drawn on the relationship map's
    edge between two teams."""
    rows = (
        _period(Kudos.objects.filter(from_team__isnull=False, to_team__isnull=False), since,
                until)
        .values_list("from_team__party_id", "to_team__party_id").annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    return {(a, b): n for a, b, n in rows}


def values() -> QuerySet[CompanyValue]:
    return CompanyValue.objects.filter(is_active=True)


def offered_compliments(lead_team_ids: list[int] | None) -> QuerySet[Compliment]:
    """None: every team's (managers)."""
    qs = Compliment.objects.filter(state=ComplimentState.OFFERED).select_related(
        "agent", "team", "ticket")  # fmt: skip
    return qs if lead_team_ids is None else qs.filter(team_id__in=lead_team_ids)
