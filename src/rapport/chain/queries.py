"""Reads of the service chain: hand-offs of a ticket, requests an agent made to
other teams, the relationship map, and the tickets behind any of its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from rapport.agreements.models import Agreement, AgreementKind
from rapport.core.errors import PermissionDenied
from rapport.directory.models import Party
from rapport.directory.queries import Scope
from rapport.sla.models import ClockState, TicketClock
from rapport.sla.queries import attainment_counts
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Ticket

# How many of the lowest-attainment edges the map marks as the worst.
WORST = 3


def require_staff(scope: Scope) -> None:
    if not scope.is_staff:
        raise PermissionDenied("The service chain is for our staff.")


def children(scope: Scope, parent: Ticket) -> list[Ticket]:
    """The hand-offs of a ticket the person may see, with provider, status and due time."""
    return list(
        ticket_queries.visible_tickets(scope)
        .filter(parent_id=parent.pk)
        .select_related("status", "provider_party", "agreement")
        .order_by("id")
    )


def my_requests(scope: Scope) -> QuerySet[Ticket]:
    """Requests the person raised to a provider other than their own teams: hand-offs
    and requests to other teams, vendors and contractors (newest change first)."""
    require_staff(scope)
    return (
        Ticket.objects.filter(requester_id=scope.person_id)
        .exclude(provider_party_id__in=sorted(scope.team_party_ids))
        .select_related("status", "provider_party", "agreement", "parent")
        .order_by("-updated_at", "-id")
    )


# --- the relationship map ------------------------------------------------------


@dataclass
class Edge:
    agreement: Agreement
    tickets: int = 0
    achieved: int = 0
    breached: int = 0
    pending: int = 0
    worst: bool = False

    @property
    def decided(self) -> int:
        """Clocks with a verdict (kept or breached): what attainment is a share of."""
        return self.achieved + self.breached

    @property
    def attainment(self) -> float | None:
        decided = self.achieved + self.breached
        return round(self.achieved / decided, 4) if decided else None


@dataclass
class RelationshipMap:
    since: datetime
    until: datetime
    parties: list[Party]
    edges: list[Edge]


def relationship_map(
    scope: Scope, *, since: datetime, until: datetime, now: datetime
) -> RelationshipMap:
    """Agreements in force during the period as edges (provider → client), each with
    the tickets opened under it and the attainment of clocks started in the period
    (the rule of `sla.queries`). Three queries whatever the data size."""
    require_staff(scope)
    overlapping = Q(active_from__lt=until.date()) & (
        Q(active_until__isnull=True) | Q(active_until__gte=since.date())
    )
    agreements = list(
        Agreement.objects.filter(overlapping).select_related("provider", "client").order_by("id")
    )
    ids = [a.pk for a in agreements]
    volume = dict(
        Ticket.objects.filter(created_at__gte=since, created_at__lt=until, agreement_id__in=ids)
        .values_list("agreement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    verdicts = {
        row["agreement_id"]: row
        for row in TicketClock.objects.filter(
            started_at__gte=since, started_at__lt=until, agreement_id__in=ids
        )
        .exclude(state=ClockState.CANCELLED)
        .values("agreement_id")
        .annotate(**attainment_counts(now))
        .order_by()
    }
    edges = []
    for agreement in agreements:
        row: dict[str, Any] = verdicts.get(agreement.pk, {})
        edges.append(
            Edge(agreement=agreement, tickets=volume.get(agreement.pk, 0),
                 achieved=row.get("achieved", 0), breached=row.get("breached", 0),
                 pending=row.get("pending", 0))
        )  # fmt: skip
    ranked = sorted(
        (e for e in edges if e.attainment is not None and e.attainment < 1),
        key=lambda e: (e.attainment, -e.tickets, e.agreement.pk),
    )
    for edge in ranked[:WORST]:
        edge.worst = True
    parties: dict[int, Party] = {}
    for a in agreements:
        parties.setdefault(a.provider_id, a.provider)
        parties.setdefault(a.client_id, a.client)
    ordered = sorted(parties.values(), key=lambda p: (_KIND_ORDER.get(p.kind, 9), p.name, p.pk))
    return RelationshipMap(since=since, until=until, parties=ordered, edges=edges)


_KIND_ORDER = {"own": 0, "team": 1, "contractor": 2, "vendor": 3, "customer": 4}


def edge_tickets(
    scope: Scope, *, agreement: int, since: datetime, until: datetime, breached: bool = False,
    now: datetime,
) -> QuerySet[Ticket]:  # fmt: skip
    """The tickets behind an edge's figures: opened under the agreement in the period
    (the volume), or those with a breached clock started in the period."""
    qs = ticket_queries.visible_tickets(scope).filter(agreement_id=agreement)
    if breached:
        late = Q(breached_at__isnull=False) | Q(state=ClockState.RUNNING, due_at__lt=now)
        clocks = TicketClock.objects.filter(
            late, agreement_id=agreement, started_at__gte=since, started_at__lt=until
        ).exclude(state=ClockState.CANCELLED)
        qs = qs.filter(pk__in=clocks.values("ticket_id"))
    else:
        qs = qs.filter(created_at__gte=since, created_at__lt=until)
    return qs.select_related("status", "provider_party", "client_party").order_by("-id")


def kind_label(kind: str) -> str:
    return str(AgreementKind(kind).label).split(" ")[0] if kind in AgreementKind.values else kind
