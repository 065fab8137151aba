"""Reads of the proactive app, with their scoping: scores and forecasts are for staff
(at-risk and outreach for managers and admins); clients and vendor users see none."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import QuerySet

from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.queries import Scope
from rapport.proactive.models import (
    ClientRisk,
    ClockForecast,
    Outreach,
    OutreachTask,
    RiskSnapshot,
    TicketMood,
)
from rapport.sla.models import LIVE_STATES
from rapport.sla.queries import may_see_clocks
from rapport.tickets.models import Ticket

HISTORY_DAYS = 90


def require_manager(scope: Scope) -> None:
    if not scope.sees_everything:
        raise PermissionDenied("Only managers and admins see client risk and outreach.")


def at_risk(scope: Scope, *, only_at_risk: bool = False) -> QuerySet[ClientRisk]:
    require_manager(scope)
    qs = ClientRisk.objects.select_related("party").order_by("-score", "party_id")
    return qs.filter(at_risk=True) if only_at_risk else qs


def history(party_ids: list[int], now: datetime) -> dict[int, list[RiskSnapshot]]:
    """The stored snapshots of these clients over the last 90 days, oldest first."""
    out: dict[int, list[RiskSnapshot]] = defaultdict(list)
    for s in RiskSnapshot.objects.filter(
        party_id__in=party_ids, taken_at__gte=now - timedelta(days=HISTORY_DAYS)
    ).order_by("taken_at", "id"):
        out[s.party_id].append(s)
    return out


def open_tasks(scope: Scope) -> QuerySet[OutreachTask]:
    require_manager(scope)
    return (
        OutreachTask.objects.filter(done_at=None)
        .select_related("owner", "party")
        .order_by("-opened_at", "-id")
    )


def may_see_forecast(scope: Scope, ticket: Ticket) -> bool:
    """Our staff on the provider's side (or the team that handed the work over); a
    vendor user works the ticket but sees no scores."""
    return scope.is_staff and may_see_clocks(scope, ticket)


def forecasts(scope: Scope, ticket: Ticket) -> list[ClockForecast]:
    if not may_see_forecast(scope, ticket):
        raise NotFound(f"There is no forecast of #{ticket.pk} you can see.")
    return list(
        # Only clocks still running: a met clock's last forecast is history.
        ClockForecast.objects.filter(ticket=ticket, clock__state__in=LIVE_STATES)
        .select_related("clock")
        .order_by("clock_id")
    )


def mood(ticket: Ticket) -> TicketMood | None:
    return TicketMood.objects.filter(ticket=ticket).first()


def outreaches(scope: Scope) -> QuerySet[Outreach]:
    require_manager(scope)
    return Outreach.objects.select_related("author").order_by("-created_at", "-id")


def get_outreach(scope: Scope, pk: int) -> Outreach:
    found = outreaches(scope).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"There is no outreach {pk}.")
    return found
