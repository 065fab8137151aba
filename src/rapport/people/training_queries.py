"""Reads of the training half, with scoping built in (404, never 403).

- Scenarios: every staff member; which ticket a scenario came from, admins only.
- Candidates and their scores: the panel, admins and managers.
- Practice assessments and assignments: the person, their team's lead, admins and managers.
- Blind scoring: until an assessment is revealed, a reader sees only their own scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.directory.models import OrgMembership, Person, Team, TeamMembership
from rapport.directory.queries import Scope
from rapport.people import training_stats as stats
from rapport.people.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    Candidate,
    PanelSeat,
    Scenario,
    Score,
    Temperament,
    TrainingPlan,
)


def scenarios(scope: Scope) -> QuerySet[Scenario]:
    if not scope.is_staff:
        return Scenario.objects.none()
    return Scenario.objects.select_related("rubric")


def get_scenario(scope: Scope, pk: int) -> Scenario:
    row = (
        scenarios(scope)
        .prefetch_related("steps", "rubric__categories", "documents")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound(f"There is no scenario {pk}.")
    return row


def _led_people(scope: Scope) -> QuerySet[Any]:
    return TeamMembership.objects.filter(team__party_id__in=scope.lead_team_party_ids).values(
        "person_id"
    )


def candidates(scope: Scope) -> QuerySet[Candidate]:
    if scope.sees_everything:
        return Candidate.objects.all()
    if not scope.is_staff:
        return Candidate.objects.none()
    on_panel = PanelSeat.objects.filter(
        assessment__candidate=OuterRef("pk"), assessor_id=scope.person_id
    )
    return Candidate.objects.filter(Exists(on_panel))


def get_candidate(scope: Scope, pk: int) -> Candidate:
    row = candidates(scope).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"There is no candidate {pk}.")
    return row


def assessments(scope: Scope) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("scenario", "candidate", "trainee")
    if scope.sees_everything:
        return qs
    if not scope.is_staff:
        return qs.none()
    on_panel = PanelSeat.objects.filter(assessment=OuterRef("pk"), assessor_id=scope.person_id)
    mine = Q(trainee_id=scope.person_id, status=AssessmentStatus.REVEALED)
    led = Q(trainee_id__in=_led_people(scope)) if scope.lead_team_party_ids else Q(pk__in=[])
    return qs.filter(Exists(on_panel) | mine | led)


def get_assessment(scope: Scope, pk: int) -> Assessment:
    row = assessments(scope).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"There is no assessment {pk}.")
    return row


@dataclass
class SeatView:
    seat: PanelSeat
    is_mine: bool
    # {category id: level}; empty while hidden.
    levels: dict[int, int] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    hidden: bool = False


@dataclass
class Panel:
    assessment: Assessment
    categories: list[Any]
    seats: list[SeatView]
    revealed: bool
    agreement: float | None = None
    kappa: float | None = None
    mean: float | None = None
    previous_mean: float | None = None
    trainability: float | None = None


def _ratings(assessment_id: int) -> dict[int, dict[int, int]]:
    by_seat: dict[int, dict[int, int]] = defaultdict(dict)
    for seat_id, category_id, level in Score.objects.filter(
        seat__assessment_id=assessment_id
    ).values_list("seat_id", "category_id", "level"):
        by_seat[seat_id][category_id] = level
    return by_seat


def panel(scope: Scope, assessment: Assessment) -> Panel:
    """Every seat with the scores the reader may see: all of them once revealed (or to
    no one but their author before), and the figures of a revealed panel."""
    seats = list(
        PanelSeat.objects.filter(assessment=assessment)
        .select_related("assessor")
        .prefetch_related("scores")
    )
    categories = list(assessment.scenario.rubric.categories.all())
    revealed = assessment.status == AssessmentStatus.REVEALED
    views = []
    for seat in seats:
        mine = seat.assessor_id == scope.person_id
        show = revealed or mine
        views.append(SeatView(
            seat=seat, is_mine=mine, hidden=not show,
            levels={s.category_id: s.level for s in seat.scores.all()} if show else {},
            notes={s.category_id: s.note for s in seat.scores.all()} if show else {},
        ))  # fmt: skip
    result = Panel(assessment=assessment, categories=categories, seats=views, revealed=revealed)
    if revealed:
        ratings = [v.levels for v in views]
        result.agreement = stats.agreement(ratings)
        result.kappa = stats.panel_kappa(ratings)
        result.mean = stats.mean_level(ratings)
        if assessment.previous_id:
            result.previous_mean = stats.mean_level(list(_ratings(assessment.previous_id).values()))
            result.trainability = stats.trainability(result.previous_mean, result.mean)
    return result


def trainability_of(candidate: Candidate) -> float | None:
    second = (
        Assessment.objects.filter(
            candidate=candidate, status=AssessmentStatus.REVEALED, previous__isnull=False
        )
        .order_by("-created_at")
        .first()
    )
    if second is None or second.previous_id is None:
        return None
    first = stats.mean_level(list(_ratings(second.previous_id).values()))
    return stats.trainability(first, stats.mean_level(list(_ratings(second.pk).values())))


def may_see_person(scope: Scope, person_id: int) -> bool:
    if scope.sees_everything or scope.person_id == person_id:
        return True
    if not scope.lead_team_party_ids:
        return False
    return TeamMembership.objects.filter(
        person_id=person_id, team__party_id__in=scope.lead_team_party_ids
    ).exists()


def assignments(scope: Scope) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("person")
    if scope.sees_everything:
        return qs
    if not scope.is_staff:
        return qs.filter(person_id=scope.person_id) if scope.person_id else qs.none()
    mine = Q(person_id=scope.person_id)
    if scope.lead_team_party_ids:
        mine |= Q(person_id__in=_led_people(scope))
    return qs.filter(mine)


def plans(scope: Scope) -> QuerySet[TrainingPlan]:
    if not scope.is_staff:
        return TrainingPlan.objects.none()
    return TrainingPlan.objects.select_related("team").prefetch_related("items")


@dataclass
class Currency:
    counted: int
    on_time: int
    overdue: int
    open: int

    @property
    def share(self) -> float | None:
        """Complete and on time among those due so far (or done early), 0–1."""
        return self.on_time / self.counted if self.counted else None


def currency(person_ids: list[int] | None = None, *, team: Team | None = None,
             now: datetime | None = None) -> dict[int, Currency]:  # fmt: skip
    """Training currency per person: of the assignments due by now (or completed), the
    share completed on or before their due date. One aggregate query."""
    now = now or clock.now()
    qs = Assignment.objects.all()
    if team is not None:
        qs = qs.filter(person__team_memberships__team=team)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    rows = qs.values("person_id").annotate(
        counted=Count("pk", filter=Q(due_at__lte=now) | Q(completed_at__isnull=False)),
        on_time=Count("pk", filter=Q(completed_at__isnull=False, completed_at__lte=F("due_at"))),
        overdue=Count("pk", filter=Q(completed_at__isnull=True, due_at__lt=now)),
        open=Count("pk", filter=Q(completed_at__isnull=True)),
    )
    return {
        r["person_id"]: Currency(r["counted"], r["on_time"], r["overdue"], r["open"]) for r in rows
    }


def team_currency(team: Team, *, now: datetime | None = None) -> Currency:
    total = Currency(0, 0, 0, 0)
    for c in currency(team=team, now=now).values():
        total = Currency(total.counted + c.counted, total.on_time + c.on_time,
                         total.overdue + c.overdue, total.open + c.open)  # fmt: skip
    return total


def board(scope: Scope, team: Team, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The team's training board: each member with open, overdue and done counts and
    currency. Two queries whatever the team's size."""
    if not (scope.sees_everything or team.party_id in scope.lead_team_party_ids):
        raise NotFound(f"There is no team {team.pk} of yours.")
    now = now or clock.now()
    members = list(
        Person.objects.filter(team_memberships__team=team, is_active=True)
        .order_by("full_name", "username")
        .only("pk", "full_name", "username", "first_name", "last_name")
    )
    figures = currency([m.pk for m in members], now=now) if len(members) <= 2000 else currency(
        team=team, now=now)  # fmt: skip
    empty = Currency(0, 0, 0, 0)
    return [{"person": m, "currency": figures.get(m.pk, empty)} for m in members]


@dataclass
class Record:
    person: Person
    assessments: list[dict[str, Any]]
    # {dimension name: [(date, mean level)]}, oldest first.
    by_dimension: dict[str, list[tuple[datetime, float]]]
    covered: list[tuple[str, str, bool]]
    currency: Currency


def record(scope: Scope, person: Person) -> Record:
    """A staff member's practice record: scenarios taken, mean level per dimension over
    time, the temperament types met, and training currency. Three queries."""
    if not may_see_person(scope, person.pk):
        raise NotFound(f"There is no person {person.pk} of yours.")
    taken = list(
        Assessment.objects.filter(trainee=person, status=AssessmentStatus.REVEALED)
        .select_related("scenario")
        .order_by("revealed_at", "id")
    )
    levels: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for assessment_id, name, level in Score.objects.filter(
        seat__assessment__in=[a.pk for a in taken]
    ).values_list("seat__assessment_id", "category__name", "level"):
        levels[assessment_id][name].append(level)
    by_dimension: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    rows = []
    for a in taken:
        means = {n: sum(v) / len(v) for n, v in levels[a.pk].items()}
        for name, mean in means.items():
            by_dimension[name].append((a.revealed_at or a.created_at, round(mean, 2)))
        all_levels = [lv for v in levels[a.pk].values() for lv in v]
        overall = round(sum(all_levels) / len(all_levels), 2) if all_levels else None
        rows.append({"assessment": a, "means": means, "mean": overall})
    met = {a.scenario.temperament for a in taken}
    covered = [(value, label, value in met) for value, label in Temperament.choices]
    figures = currency([person.pk]).get(person.pk, Currency(0, 0, 0, 0))
    return Record(person, rows, dict(by_dimension), covered, figures)


def party_members(party_id: int) -> list[int]:
    """The people of a team, or of a vendor's or contractor's organisation: contractors
    serving our customers are trained like our staff."""
    team = TeamMembership.objects.filter(team__party_id=party_id).values_list(
        "person_id", flat=True
    )
    org = OrgMembership.objects.filter(organisation__party_id=party_id).values_list(
        "person_id", flat=True
    )
    return sorted(set(team) | set(org))


def party_currency(party_id: int, since: datetime, until: datetime) -> float | None:
    """Training currency of a team or provider organisation for a scorecard period, in
    per cent: of the assignments of its people due in the period, the share completed on
    or before the due date (None when nothing fell due)."""
    rows = Assignment.objects.filter(
        person_id__in=party_members(party_id), due_at__gte=since, due_at__lt=until
    ).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(completed_at__isnull=False, completed_at__lte=F("due_at"))),
    )
    return round(100 * rows["on_time"] / rows["due"], 1) if rows["due"] else None


def overdue_of_party(party_id: int, *, now: datetime | None = None) -> list[Assignment]:
    """Overdue assignments of a team's (or provider's) people, for the lead's digest."""
    now = now or clock.now()
    return list(
        Assignment.objects.filter(
            person_id__in=party_members(party_id), completed_at__isnull=True, due_at__lt=now
        )
        .select_related("person")
        .order_by("due_at", "id")[:50]
    )
