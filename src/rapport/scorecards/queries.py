"""Reads behind the scorecards: the tickets behind a figure, the visible weighted cards."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rapport.core.errors import Invalid, NotFound
from rapport.directory.queries import Scope
from rapport.scorecards.models import WeightedScorecard
from rapport.scorecards.periods import Period
from rapport.surveys.queries import measured_parties
from rapport.tickets.models import Ticket

BEHIND = ("volume_in", "solved", "reopen_rate", "backlog", "first_response_attainment",
          "resolution_attainment", "csat", "nps", "ces", "survey_response_rate")  # fmt: skip


def tickets_behind(
    scope: Scope, period: Period, dimension: str, ident: int, metric: str
) -> QuerySet[Ticket]:
    """The tickets a scorecard figure counts, newest first (same rules as the engine)."""
    parties = measured_parties(scope)
    qs = Ticket.objects.all()
    if parties is not None:
        qs = qs.filter(provider_party_id__in=parties)
    surveyed = metric in ("csat", "nps", "ces", "survey_response_rate")
    if dimension == "provider":
        qs = qs.filter(
            Q(survey__provider_party_id=ident) if surveyed else Q(provider_party_id=ident)
        )
    elif dimension == "agreement":
        qs = qs.filter(Q(survey__agreement_id=ident) if surveyed else Q(agreement_id=ident))
    elif dimension == "agent":
        qs = qs.filter(Q(survey__agent_id=ident) if surveyed else Q(assignee_id=ident))
    else:
        raise Invalid("A dimension is provider, agreement or agent.", field="dimension")
    since, until = period.since, period.until
    if metric == "volume_in":
        qs = qs.filter(created_at__gte=since, created_at__lt=until)
    elif metric in ("solved", "reopen_rate"):
        qs = qs.filter(solved_at__gte=since, solved_at__lt=until)
        if metric == "reopen_rate":
            qs = qs.filter(reopen_count__gt=0)
    elif metric == "backlog":
        qs = qs.filter(created_at__lt=until, merged_into__isnull=True).filter(
            Q(solved_at__isnull=True) | Q(solved_at__gte=until)
        )
    elif metric in ("first_response_attainment", "resolution_attainment"):
        kind = "first_response" if metric.startswith("first") else "resolution"
        qs = qs.filter(
            clocks__kind=kind, clocks__started_at__gte=since, clocks__started_at__lt=until
        ).exclude(clocks__state="cancelled")
    elif surveyed:
        qs = qs.filter(survey__created_at__gte=since, survey__created_at__lt=until)
        if metric != "survey_response_rate":
            qs = qs.filter(**{f"survey__{metric}__isnull": False})
    else:
        raise Invalid(f"Figures with tickets behind them: {', '.join(BEHIND)}.", field="metric")
    return qs.select_related("provider_party", "assignee", "status").order_by("-created_at", "-id")


def visible_weighted(scope: Scope) -> QuerySet[WeightedScorecard]:
    parties = measured_parties(scope)
    qs = WeightedScorecard.objects.select_related("provider").prefetch_related("criteria")
    return qs if parties is None else qs.filter(provider_id__in=parties)


def get_weighted(scope: Scope, card_id: int) -> WeightedScorecard:
    card = visible_weighted(scope).filter(pk=card_id).first()
    if card is None:
        raise NotFound(f"There is no scorecard {card_id} you can see.")
    return card
