"""Reads of the manager's dashboard: what came in, what waits, what breached or is
about to, how attainment and satisfaction moved, which links of the chain serve worst,
and what waits on the policies side.

Each panel is one aggregate query over the tickets the person's team queues show
(every provider's for managers and admins), so the page costs the same number of
statements at a hundred tickets or a million. Every figure carries the queue filters
that list the tickets behind it (`FIGURE_FILTERS` in the desk's queue view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from rapport.agreements.models import AgreementKind
from rapport.core.choices import ACTIVE_CATEGORIES, Clock
from rapport.desk.queries import team_parties
from rapport.desk.queries.figures import breached_clock, near_clock, periods
from rapport.directory.queries import Scope
from rapport.policies.models import Document, Proposal, ProposalStatus, ReadTask
from rapport.policies.models import Status as DocumentStatus
from rapport.sla.models import LIVE_STATES, ClockState, TicketClock
from rapport.sla.queries import attainment_counts
from rapport.surveys import formulas
from rapport.surveys.models import Survey, SurveyState
from rapport.tickets.models import Ticket

TREND_WEEKS = 8
WORST_LINKS = 5
# A provider with fewer decided clocks than this in the month is not ranked: one
# breached ticket of two would make it "the worst link" on nothing.
WORST_MIN_DECIDED = 3
REVIEW_HORIZON = timedelta(days=30)
KINDS = tuple(AgreementKind.values)


def _tickets(scope: Scope) -> QuerySet[Ticket]:
    teams = team_parties(scope)
    qs = Ticket.objects.filter(merged_into__isnull=True)
    return qs if teams is None else qs.filter(provider_party_id__in=teams)


def _clocks(scope: Scope) -> QuerySet[TicketClock]:
    teams = team_parties(scope)
    qs = TicketClock.objects.exclude(state=ClockState.CANCELLED)
    return qs if teams is None else qs.filter(ticket__provider_party_id__in=teams)


def volume(scope: Scope, now: datetime) -> dict[str, int]:
    """Tickets received and solved today and this week: one statement."""
    starts = periods(now)
    return _tickets(scope).aggregate(
        received_today=Count("id", filter=Q(created_at__gte=starts["today"])),
        received_week=Count("id", filter=Q(created_at__gte=starts["week"])),
        solved_today=Count("id", filter=Q(solved_at__gte=starts["today"])),
        solved_week=Count("id", filter=Q(solved_at__gte=starts["week"])),
    )


def backlog(scope: Scope) -> list[dict[str, Any]]:
    """Unsolved tickets per provider, largest first: one statement."""
    rows = (
        _tickets(scope)
        .filter(status_category__in=ACTIVE_CATEGORIES)
        .values("provider_party_id", "provider_party__name", "provider_party__kind")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status_category="open")),
            unassigned=Count("id", filter=Q(status_category="open", assignee__isnull=True)),
        )
        .order_by("-total", "provider_party__name")
    )
    return [
        {"id": r["provider_party_id"], "name": r["provider_party__name"],
         "kind": r["provider_party__kind"], "total": r["total"], "open": r["open"],
         "unassigned": r["unassigned"]}
        for r in rows
    ]  # fmt: skip


def breaches(scope: Scope, now: datetime) -> dict[str, dict[str, int]]:
    """Unsolved tickets with a breached clock, and with one about to breach, per kind of
    agreement (SLA, OLA, UC): one statement. Counted in tickets, not clocks."""
    rows = (
        _clocks(scope)
        .filter(state__in=LIVE_STATES)
        .values("agreement__kind")
        .annotate(
            breached=Count("ticket_id", filter=breached_clock(now), distinct=True),
            near=Count("ticket_id", filter=near_clock(now), distinct=True),
        )
        .order_by()
    )
    out = {kind: {"breached": 0, "near": 0} for kind in KINDS}
    for row in rows:
        if row["agreement__kind"] in out:
            out[row["agreement__kind"]] = {"breached": row["breached"], "near": row["near"]}
    return out


@dataclass
class Week:
    start: datetime
    achieved: int = 0
    breached: int = 0
    csat_answers: int = 0
    csat_satisfied: int = 0
    answered: int = 0
    sent: int = 0

    @property
    def label(self) -> str:
        return self.start.strftime("%d %b")

    @property
    def attainment(self) -> float | None:
        decided = self.achieved + self.breached
        return round(100 * self.achieved / decided, 1) if decided else None

    @property
    def csat(self) -> float | None:
        return formulas.csat(self.csat_satisfied, self.csat_answers)


@dataclass
class Trend:
    weeks: list[Week] = field(default_factory=list)

    @property
    def last(self) -> Week:
        return self.weeks[-1]


def trend(scope: Scope, now: datetime) -> Trend:
    """Weekly attainment (first response and resolution clocks started that week) and
    CSAT (surveys of tickets solved that week), the last TREND_WEEKS weeks: two statements."""
    monday = periods(now)["week"]
    first = monday - timedelta(weeks=TREND_WEEKS - 1)
    weeks = {monday - timedelta(weeks=n): Week(start=monday - timedelta(weeks=n))
             for n in range(TREND_WEEKS - 1, -1, -1)}  # fmt: skip
    tz = timezone.get_current_timezone()

    def week_of(value: datetime) -> Week | None:
        local = timezone.localtime(value, tz).replace(hour=0, minute=0, second=0, microsecond=0)
        return weeks.get(local)

    for row in (
        _clocks(scope)
        .filter(started_at__gte=first, kind__in=[Clock.FIRST_RESPONSE, Clock.RESOLUTION])
        .annotate(week=TruncWeek("started_at", tzinfo=tz))
        .values("week")
        .annotate(**attainment_counts(now))
        .order_by()
    ):
        week = week_of(row["week"])
        if week is not None:
            week.achieved += row["achieved"]
            week.breached += row["breached"]
    teams = team_parties(scope)
    surveys = Survey.objects.filter(created_at__gte=first)
    if teams is not None:
        surveys = surveys.filter(provider_party_id__in=teams)
    for row in (
        surveys.annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week")
        .annotate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            answered=Count("id", filter=Q(state=SurveyState.ANSWERED)),
            csat_n=Count("csat"),
            csat_sat=Count("id", filter=Q(csat__gte=4)),
        )
        .order_by()
    ):
        week = week_of(row["week"])
        if week is not None:
            week.sent += row["sent"]
            week.answered += row["answered"]
            week.csat_answers += row["csat_n"]
            week.csat_satisfied += row["csat_sat"]
    return Trend(weeks=list(weeks.values()))


def worst_links(scope: Scope, now: datetime) -> list[dict[str, Any]]:
    """The providers (teams, vendors, contractors) with the lowest attainment over the
    last 30 days, per kind of agreement they work under, worst first: one statement.
    Clocks of tickets received in the period, so the tickets behind a figure are the
    provider's tickets received since then."""
    since = periods(now)["month"]
    rows = (
        _clocks(scope)
        .filter(ticket__created_at__gte=since, kind__in=[Clock.FIRST_RESPONSE, Clock.RESOLUTION])
        .values("ticket__provider_party_id", "ticket__provider_party__name", "agreement__kind")
        .annotate(
            **attainment_counts(now),
            breached_tickets=Count("ticket_id", filter=breached_clock(now), distinct=True),
        )
        .order_by()
    )
    links = []
    for r in rows:
        decided = r["achieved"] + r["breached"]
        if decided < WORST_MIN_DECIDED:
            continue
        links.append({
            "id": r["ticket__provider_party_id"], "name": r["ticket__provider_party__name"],
            "kind": r["agreement__kind"], "attainment": round(100 * r["achieved"] / decided, 1),
            "breached_tickets": r["breached_tickets"],
        })  # fmt: skip
    links.sort(key=lambda link: (link["attainment"], link["name"]))
    return links[:WORST_LINKS]


def follow_ups(scope: Scope, now: datetime) -> list[dict[str, Any]]:
    """What waits outside the queues, one entry per app that has something to follow up.

    Each entry: a label, a count and where its list is. The apps above policies
    (improvement's open reviews, people's overdue training) add their line here as
    they land; each is one count.
    """
    teams = team_parties(scope)
    proposals = Proposal.objects.filter(status=ProposalStatus.OPEN)
    if teams is not None:
        proposals = proposals.filter(ticket__provider_party_id__in=teams)
    return [
        {"key": "proposals", "label": "Open change proposals", "count": proposals.count()},
        {"key": "reads", "label": "Overdue reads (all staff)",
         "count": ReadTask.objects.filter(acknowledged_at__isnull=True, due_at__lt=now).count()},
        {"key": "reviews", "label": "Document reviews due in 30 days",
         "count": Document.objects.filter(status=DocumentStatus.PUBLISHED,
                                          next_review_at__lte=now + REVIEW_HORIZON).count()},
    ]  # fmt: skip
