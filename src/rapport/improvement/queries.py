"""Reads of the improvement app, with scoping built in: reviews and problems are
staff-only (404 for anyone else); a vendor or contractor user sees the corrective
actions addressed to its organisation and nothing of the review behind them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from rapport.core.errors import NotFound
from rapport.directory.models import Party, Person, Team, TeamMembership, TeamRole
from rapport.directory.queries import Scope
from rapport.improvement.models import (
    ActionState,
    CorrectiveAction,
    Preferences,
    Problem,
    Review,
    Reviewer,
    ReviewStatus,
    TriggerRule,
)
from rapport.sla.models import TicketClock
from rapport.surveys.models import Survey
from rapport.tickets.models import Event, Ticket


def visible_reviews(scope: Scope) -> QuerySet[Review]:
    qs = Review.objects.select_related(
        "ticket", "provider", "reviewer", "responsible", "problem", "team"
    )
    if not scope.is_staff:
        return qs.none()
    if scope.sees_everything:
        return qs
    mine = Q(reviewer_id=scope.person_id) | Q(provider_id__in=scope.team_party_ids)
    # The team that handed work to a vendor follows the vendor's reviews of it.
    theirs = Q(responsible_id__in=scope.team_party_ids) | Q(
        ticket__client_party_id__in=scope.team_party_ids
    )
    return qs.filter(mine | theirs)


def get_review(scope: Scope, pk: int) -> Review:
    review = visible_reviews(scope).filter(pk=pk).first()
    if review is None:
        raise NotFound(f"There is no review {pk} you can see.")
    return review


def my_queue(scope: Scope, *, status: str = ReviewStatus.OPEN) -> QuerySet[Review]:
    """Reviews given to me; managers and admins also get those nobody was given."""
    who = Q(reviewer_id=scope.person_id)
    if scope.sees_everything:
        who |= Q(reviewer__isnull=True)
    return visible_reviews(scope).filter(who, status=status)


def visible_problems(scope: Scope) -> QuerySet[Problem]:
    qs = Problem.objects.select_related("provider")
    return qs if scope.is_staff else qs.none()


def get_problem(scope: Scope, pk: int) -> Problem:
    problem = visible_problems(scope).filter(pk=pk).first()
    if problem is None:
        raise NotFound(f"There is no problem {pk} you can see.")
    return problem


def visible_actions(scope: Scope) -> QuerySet[CorrectiveAction]:
    qs = CorrectiveAction.objects.select_related("owner", "provider", "document", "team")
    if scope.is_staff:
        return qs
    if scope.provider_org_party_ids:
        # Addressed to the organisation once confirmed; a proposal is still internal.
        return qs.filter(provider_id__in=scope.provider_org_party_ids).exclude(
            state=ActionState.PROPOSED
        )
    return qs.none()


def get_action(scope: Scope, pk: int) -> CorrectiveAction:
    action = visible_actions(scope).filter(pk=pk).first()
    if action is None:
        raise NotFound(f"There is no corrective action {pk} you can see.")
    return action


def rule_of(trigger: str) -> TriggerRule:
    """The stored rule, or the default (every event, enabled)."""
    return TriggerRule.objects.filter(trigger=trigger).first() or TriggerRule(trigger=trigger)


def preferences() -> Preferences:
    return Preferences.objects.order_by("pk").first() or Preferences()


def reviewers_of(provider_id: int) -> list[Person]:
    ids = Reviewer.objects.filter(provider_id=provider_id).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True))


def least_busy(people: list[Person]) -> Person | None:
    """The one of `people` with the fewest open reviews (then the lowest id)."""
    if not people:
        return None
    open_counts = dict(
        Review.objects.filter(reviewer__in=people, status=ReviewStatus.OPEN)
        .values_list("reviewer_id")
        .annotate(n=Count("id"))
    )
    return min(people, key=lambda p: (open_counts.get(p.pk, 0), p.pk))


def leads_of(party_id: int | None) -> list[Person]:
    if party_id is None:
        return []
    ids = TeamMembership.objects.filter(team__party_id=party_id, role=TeamRole.LEAD)
    return list(Person.objects.filter(pk__in=ids.values("person_id"), is_active=True))


def a_manager() -> Person | None:
    return Person.objects.filter(staff_role="manager", is_active=True).order_by("pk").first()


def team_of(party_id: int | None) -> Team | None:
    return None if party_id is None else Team.objects.filter(party_id=party_id).first()


def proposed_responsible(ticket: Ticket | None, at: datetime) -> Party | None:
    """The provider of the hand-off whose OLA or UC clock breached first, before the
    customer's own clock breached (or before `at` when it has not)."""
    if ticket is None:
        return None
    own = TicketClock.objects.filter(ticket=ticket, breached_at__isnull=False).aggregate(
        first=Min("breached_at")
    )["first"]
    limit = own or at
    link = (
        TicketClock.objects.filter(
            ticket__parent_id=ticket.pk, breached_at__isnull=False, breached_at__lt=limit
        )
        .select_related("ticket__provider_party")
        .order_by("breached_at")
        .first()
    )
    return link.ticket.provider_party if link is not None else None


def chain_of(ticket: Ticket | None) -> list[dict[str, Any]]:
    """The ticket's hand-offs with their first breach, for the review page."""
    if ticket is None:
        return []
    children = list(Ticket.objects.filter(parent_id=ticket.pk).select_related("provider_party"))
    breaches = dict(
        TicketClock.objects.filter(ticket__in=children, breached_at__isnull=False)
        .values_list("ticket_id")
        .annotate(first=Min("breached_at"))
    )
    return [{"ticket": c, "breached_at": breaches.get(c.pk)} for c in children]


def timeline(ticket: Ticket | None, limit: int = 200) -> list[Event]:
    if ticket is None:
        return []
    return list(Event.objects.filter(ticket=ticket).select_related("actor").order_by("id")[:limit])


def survey_of(ticket: Ticket | None) -> Survey | None:
    return None if ticket is None else Survey.objects.filter(ticket=ticket).first()


# --- figures -----------------------------------------------------------------------


def rate_counts(
    cause: str, provider_id: int | None, since: datetime, until: datetime
) -> tuple[int, int]:
    """(reviews that count with this cause and responsible provider, tickets of that
    provider) created in [since, until): the effectiveness check's rate per 100."""
    reviews = Review.objects.filter(
        counts=True, cause=cause, opened_at__gte=since, opened_at__lt=until
    )
    tickets = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    if provider_id is not None:
        reviews = reviews.filter(responsible_id=provider_id)
        tickets = tickets.filter(provider_party_id=provider_id)
    return reviews.count(), tickets.count()


def open_actions_by_provider(provider_ids: set[int] | None = None) -> dict[int, int]:
    """Corrective actions open per responsible provider: a weighted scorecard's
    manual criterion "corrective actions open" reads it."""
    qs = CorrectiveAction.objects.filter(state=ActionState.OPEN, provider__isnull=False)
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=provider_ids)
    return dict(qs.values_list("provider_id").annotate(n=Count("id")))


def word_of_mouth(since: datetime, until: datetime, factor: int) -> dict[str, int]:
    """Unhappy answers of the period (NPS detractors and CSAT 1–2, a survey once)
    times the factor: an estimate of the people they told."""
    unhappy = (
        Survey.objects.filter(answered_at__gte=since, answered_at__lt=until)
        .filter(Q(nps__lte=6) | Q(csat__lte=2))
        .count()
    )
    return {"unhappy": unhappy, "factor": factor, "people_told": unhappy * factor}
