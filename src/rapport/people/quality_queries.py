"""Reads of quality reviews, with scoping built in (404, never 403, for what a person
may not see).

Who sees a review: admins and managers, all; the reviewer; the agent credited (their
own reviews and disputes); leads, the reviews of their teams' conversations and
members; a vendor's or contractor's users, the reviews of their organisation's
conversations once its manager shares them (the manager always) — their own replies
included, since the manager decides what the organisation's users see. Calibration scores
live apart: blind to the other reviewers until the session closes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from rapport.core.errors import NotFound
from rapport.directory.models import Person, TeamMembership, TeamRole
from rapport.directory.queries import Scope
from rapport.people.models import (
    CalibrationSession,
    Dispute,
    Rating,
    Review,
    ReviewSharing,
    Rubric,
    SampleItem,
)
from rapport.people.models.quality import DisputeStatus, ReviewKind
from rapport.people.quality_formulas import agreement, fleiss_kappa

COUNTED = Q(kind=ReviewKind.REVIEW, score__isnull=False)


def may_manage_rubrics(scope: Scope) -> bool:
    return scope.sees_everything or bool(scope.lead_team_party_ids)


def may_review(scope: Scope) -> bool:
    """Reviewing others: leads, managers and admins."""
    return scope.is_staff and may_manage_rubrics(scope)


def _led_people(scope: Scope) -> Any:
    return TeamMembership.objects.filter(team__party_id__in=scope.lead_team_party_ids).values(
        "person_id"
    )


def visibility(scope: Scope) -> Q | None:
    """None: every review."""
    if scope.sees_everything:
        return None
    if scope.person_id is None:
        return Q(pk__in=[])
    mine = Q(reviewer_id=scope.person_id)
    if scope.is_staff:
        mine |= Q(agent_id=scope.person_id)
    if scope.lead_team_party_ids:
        mine |= Q(provider_party_id__in=scope.lead_team_party_ids)
        mine |= Q(agent_id__in=_led_people(scope))
    if scope.provider_org_party_ids:
        shared = ReviewSharing.objects.filter(
            shared=True, organisation__party_id__in=scope.provider_org_party_ids
        ).values("organisation__party_id")
        managed = scope.provider_org_party_ids & scope.admin_org_party_ids
        mine |= Q(provider_party_id__in=shared) | Q(provider_party_id__in=managed)
    return mine


def visible_reviews(scope: Scope) -> QuerySet[Review]:
    qs = Review.objects.exclude(kind=ReviewKind.CALIBRATION)
    condition = visibility(scope)
    return qs if condition is None else qs.filter(condition)


def get_review(scope: Scope, pk: int) -> Review:
    review = (
        visible_reviews(scope).select_related("ticket", "rubric", "agent", "reviewer",
                                               "provider_party").filter(pk=pk).first()
    )  # fmt: skip
    if review is None:
        raise NotFound(f"There is no review {pk} you can see.")
    return review


def may_coach(scope: Scope, review: Review) -> bool:
    return review.reviewer_id == scope.person_id or may_arbitrate(scope, review)


def may_arbitrate(scope: Scope, review: Review) -> bool:
    if scope.is_admin:
        return True
    if review.reviewer_id == scope.person_id:
        return False
    if scope.sees_everything:
        return True
    if not scope.lead_team_party_ids or review.agent_id is None:
        return False
    return _led_people(scope).filter(person_id=review.agent_id).exists()


def arbitrators_of(review: Review) -> list[Person]:
    managers = Person.objects.filter(staff_role="manager", is_active=True)
    if review.agent_id is None:
        return list(managers[:5])
    teams = TeamMembership.objects.filter(person_id=review.agent_id).values("team_id")
    leads = Person.objects.filter(
        team_memberships__role=TeamRole.LEAD, team_memberships__team_id__in=teams
    ).exclude(pk=review.reviewer_id)
    found = list(leads.distinct())
    return found or list(managers[:5])


def quality_rubrics(active_only: bool = True) -> QuerySet[Rubric]:
    qs = Rubric.objects.filter(purpose="quality").prefetch_related("categories")
    return qs.filter(is_active=True) if active_only else qs


# --- scores ------------------------------------------------------------------------


def _period(qs: QuerySet[Review], since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def quality_scores(
    by: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    ids: list[int] | None = None,
) -> dict[int, tuple[float | None, int]]:
    """Zendesk QA's IQS per agent (`by="agent"`) or provider party (`by="provider"`):
    the mean of the review scores in the period, and how many reviews. Self-reviews and
    calibration never count. One grouped query."""
    column = "agent_id" if by == "agent" else "provider_party_id"
    qs = _period(Review.objects.filter(COUNTED), since, until)
    if ids is not None:
        qs = qs.filter(**{f"{column}__in": ids})
    rows = qs.values(column).annotate(mean=Avg("score"), n=Count("id")).order_by()
    return {
        r[column]: (round(r["mean"], 2) if r["mean"] is not None else None, r["n"])
        for r in rows if r[column] is not None
    }  # fmt: skip


def quality_score(by: str, pk: int, *, since: datetime | None = None,
                  until: datetime | None = None) -> float | None:  # fmt: skip
    return quality_scores(by, since=since, until=until, ids=[pk]).get(pk, (None, 0))[0]


def self_review_scores(agent_ids: list[int]) -> dict[int, tuple[float | None, int]]:
    rows = (
        Review.objects.filter(kind=ReviewKind.SELF, agent_id__in=agent_ids, score__isnull=False)
        .values("agent_id").annotate(mean=Avg("score"), n=Count("id")).order_by()
    )  # fmt: skip
    return {r["agent_id"]: (round(r["mean"], 2), r["n"]) for r in rows}


def dispute_rates(rubric: Rubric) -> list[dict[str, Any]]:
    """Per category: disputes naming it / reviews that rated it (an ambiguity signal)."""
    rated = dict(
        Rating.objects.filter(review__rubric=rubric, review__kind=ReviewKind.REVIEW,
                              value__isnull=False)
        .values_list("category_id").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    disputed = dict(
        Dispute.objects.filter(review__rubric=rubric, category__isnull=False)
        .values_list("category_id").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    out = []
    for c in rubric.categories.all():
        n = rated.get(c.pk, 0)
        d = disputed.get(c.pk, 0)
        out.append({"category": c.pk, "name": c.name, "reviews": n, "disputes": d,
                    "rate": round(d / n, 4) if n else None})  # fmt: skip
    return out


def visible_disputes(scope: Scope) -> QuerySet[Dispute]:
    reviews = visible_reviews(scope).values("pk")
    return Dispute.objects.filter(review_id__in=reviews).select_related(
        "review__ticket", "review__agent", "review__reviewer", "category", "raised_by",
        "arbitrator",
    )  # fmt: skip


def open_disputes(scope: Scope) -> QuerySet[Dispute]:
    return visible_disputes(scope).filter(status=DisputeStatus.OPEN)


# --- the queue ---------------------------------------------------------------------


def review_queue(scope: Scope, *, week: date | None = None) -> QuerySet[SampleItem]:
    """Sampled conversations not reviewed yet that the reviewer may review."""
    qs = SampleItem.objects.filter(review__isnull=True).select_related(
        "ticket", "provider_party").order_by("-week", "provider_party__name", "id")  # fmt: skip
    if week is not None:
        qs = qs.filter(week=week)
    if not scope.sees_everything:
        qs = qs.filter(
            Q(provider_party_id__in=scope.lead_team_party_ids)
            | Q(ticket__client_party_id__in=scope.lead_team_party_ids)
        )
    return qs


# --- calibration -------------------------------------------------------------------


def visible_sessions(scope: Scope) -> QuerySet[CalibrationSession]:
    qs = CalibrationSession.objects.select_related("rubric")
    if scope.sees_everything:
        return qs
    if scope.person_id is None:
        return qs.none()
    return qs.filter(Q(reviewers=scope.person_id) | Q(created_by_id=scope.person_id)).distinct()


def get_session(scope: Scope, pk: int) -> CalibrationSession:
    session = visible_sessions(scope).filter(pk=pk).first()
    if session is None:
        raise NotFound(f"There is no calibration session {pk} you can see.")
    return session


@dataclass
class CalibrationReport:
    revealed: bool
    # ticket id → reviewer id → (score, {category id: value})
    scores: dict[int, dict[int, tuple[float | None, dict[int, int | None]]]] = field(
        default_factory=dict
    )
    # category id → (agreement within ±10 points, Fleiss' kappa)
    categories: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    overall_agreement: float | None = None
    # reviewer id → mean absolute distance from the session's mean score (drift)
    distance: dict[int, float] = field(default_factory=dict)


def calibration_report(scope: Scope, session: CalibrationSession) -> CalibrationReport:
    """Blind until closed: before, a reviewer sees only their own scores (the session's
    creator and managers see everything)."""
    reveal = (
        session.closed_at is not None
        or session.created_by_id == scope.person_id
        or (scope.sees_everything)
    )
    reviews = Review.objects.filter(session=session).prefetch_related("ratings__category")
    if not reveal:
        reviews = reviews.filter(reviewer_id=scope.person_id)
    report = CalibrationReport(revealed=reveal)
    per_category: dict[int, list[list[object]]] = defaultdict(list)
    shares: dict[int, list[list[float | None]]] = defaultdict(list)
    by_ticket_cat: dict[tuple[int, int], list[tuple[object, float | None]]] = defaultdict(list)
    for review in reviews:
        values = {r.category_id: r.value for r in review.ratings.all()}
        report.scores.setdefault(review.ticket_id, {})[review.reviewer_id] = (review.score, values)
        for r in review.ratings.all():
            share = None if r.value is None else r.category.normalised(r.value) * 100
            by_ticket_cat[(review.ticket_id, r.category_id)].append(
                ("N/A" if r.value is None else r.value, share)
            )
    for (_, category), pairs in by_ticket_cat.items():
        per_category[category].append([label for label, _ in pairs])
        shares[category].append([share for _, share in pairs])
    for category in per_category:
        agreements = [
            a for a in (agreement(s, exact=True) for s in shares[category]) if a is not None
        ]
        report.categories[category] = (
            round(sum(agreements) / len(agreements), 4) if agreements else None,
            fleiss_kappa(per_category[category]),
        )
    overall = [agreement([s for s, _ in by.values()], exact=True) for by in report.scores.values()]
    known = [a for a in overall if a is not None]
    report.overall_agreement = round(sum(known) / len(known), 4) if known else None
    distances: dict[int, list[float]] = defaultdict(list)
    for by in report.scores.values():
        scored = [s for s, _ in by.values() if s is not None]
        if len(scored) < 2:
            continue
        mean = sum(scored) / len(scored)
        for reviewer, (score, _) in by.items():
            if score is not None:
                distances[reviewer].append(abs(score - mean))
    report.distance = {r: round(sum(d) / len(d), 2) for r, d in distances.items()}
    return report


def drift(reviewer_ids: list[int], *, sessions: int = 10) -> dict[int, list[tuple[int, float]]]:
    """Each reviewer's distance from the session mean over the last closed sessions,
    oldest first: a reviewer drifting away from the others shows a rising line."""
    closed = list(CalibrationSession.objects.filter(closed_at__isnull=False)
                  .order_by("-closed_at")[:sessions])  # fmt: skip
    rows = Review.objects.filter(session__in=closed, score__isnull=False).values_list(
        "session_id", "ticket_id", "reviewer_id", "score")  # fmt: skip
    grouped: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for session_id, ticket_id, reviewer_id, score in rows:
        grouped[(session_id, ticket_id)][reviewer_id] = float(score or 0)
    per: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (session_id, _), scores in grouped.items():
        if len(scores) < 2:
            continue
        mean = sum(scores.values()) / len(scores)
        for reviewer, score in scores.items():
            per[reviewer][session_id].append(abs(score - mean))
    order = {s.pk: i for i, s in enumerate(reversed(closed))}
    return {
        r: sorted(((s, round(sum(d) / len(d), 2)) for s, d in per[r].items()),
                  key=lambda item: order[item[0]])
        for r in reviewer_ids if r in per
    }  # fmt: skip
