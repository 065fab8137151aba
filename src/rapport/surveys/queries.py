"""Reads of surveys, scoped to what a person may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rapport.core.errors import PermissionDenied
from rapport.directory.queries import Scope
from rapport.surveys.models import Survey, SurveyState


def measured_parties(scope: Scope) -> frozenset[int] | None:
    """The providers whose ratings a person may read: None means all of them.

    The providing side reads its own ratings; clients never read anyone's.
    """
    if scope.sees_everything:
        return None
    parties = scope.team_party_ids | scope.provider_org_party_ids
    if not scope.is_authenticated or not parties:
        raise PermissionDenied("Ratings are for the providing side's staff.")
    return parties


def visible_surveys(scope: Scope) -> QuerySet[Survey]:
    qs = Survey.objects.all()
    parties = measured_parties(scope)
    return qs if parties is None else qs.filter(provider_party_id__in=parties)


def recent_comments(
    scope: Scope, *, limit: int = 10, parties: list[int] | None = None
) -> list[Survey]:
    qs = visible_surveys(scope).filter(state=SurveyState.ANSWERED).exclude(comment="")
    if parties is not None:
        qs = qs.filter(provider_party_id__in=parties)
    return list(
        qs.select_related("ticket", "provider_party", "agent").order_by("-answered_at", "-id")[
            :limit
        ]
    )


def survey_for_respondent(person_id: int, ticket_id: int) -> Survey | None:
    return (
        Survey.objects.filter(Q(ticket_id=ticket_id) & Q(respondent_id=person_id))
        .exclude(state=SurveyState.SUPPRESSED)
        .select_related("ticket")
        .first()
    )
