"""At-risk clients: a score per client organisation and internal client team that
explains itself. Each contribution is listed with its points and the figure behind it,
and the score is their sum (no hidden weighting), so a manager reads *why*.

Contributions (points, capped each so one signal cannot drown the others):
- negative sentiment: the mean score of the client's messages of the last 30 days
  below zero, and below their own earlier 60-day mean (the trend) — up to 30;
- SLA breaches this month on their tickets — 5 each, up to 25;
- reopens in the last 30 days — 3 each, up to 15;
- detractors and low CSAT in the last 90 days (CSAT ≤ 2, NPS ≤ 6) — 5 each, up to 20;
- the watermelon flag: clocks green (≥ 90 % met this quarter) while CSAT is red
  (under 60 % satisfied, at least 3 answers) — 10;
- breaches by the vendors and internal teams their tickets were handed to, this
  month — 4 each, up to 12;
- a volume spike: tickets of the last 7 days against their weekly mean of the 90
  days before — up to 10.

Every figure is one grouped query over all clients (about ten queries for any number
of clients): `make bench-proactive` times 10,000 clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Q

from rapport.directory.models import Party, PartyKind
from rapport.sla.models import TicketClock
from rapport.surveys.models import Survey
from rapport.tickets.models import Event, Message, Side, Ticket

THRESHOLD = 40.0
CLIENT_KINDS = (PartyKind.CUSTOMER, PartyKind.TEAM)


@dataclass
class Assessment:
    party_id: int
    contributions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c["points"] for c in self.contributions), 1)

    @property
    def at_risk(self) -> bool:
        return self.score >= THRESHOLD

    def add(self, key: str, label: str, points: float, detail: str) -> None:
        if points > 0:
            self.contributions.append(
                {"key": key, "label": label, "points": round(points, 1), "detail": detail}
            )


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _counts(qs: Any, key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk")).order_by()}


def _among(ids: list[int], party_ids: list[int] | None, key: str) -> dict[str, list[int]]:
    """The filter to some clients; none for all of them: a 10,000-id IN list costs more
    than grouping every client's rows and leaving out the few non-client parties."""
    return {} if party_ids is None else {f"{key}__in": ids}


def assess(now: datetime, party_ids: list[int] | None = None) -> list[Assessment]:
    """Every client's assessment (or only `party_ids`'), highest score first."""
    parties = Party.objects.filter(kind__in=CLIENT_KINDS)
    if party_ids is not None:
        parties = parties.filter(pk__in=party_ids)
    ids = list(parties.values_list("pk", flat=True))
    if not ids:
        return []
    month = _month_start(now)
    d30, d90, d7 = now - timedelta(days=30), now - timedelta(days=90), now - timedelta(days=7)
    client_msgs = Message.objects.filter(
        **_among(ids, party_ids, "ticket__client_party_id"),
        author_side=Side.CLIENT,
        is_internal=False,
        sentiment__isnull=False,
    )
    recent = {
        r["ticket__client_party_id"]: (r["m"], r["n"])
        for r in client_msgs.filter(created_at__gte=d30)
        .values("ticket__client_party_id")
        .annotate(m=Avg("sentiment"), n=Count("pk"))
        .order_by()
    }
    earlier = {
        r["ticket__client_party_id"]: r["m"]
        for r in client_msgs.filter(created_at__gte=d90, created_at__lt=d30)
        .values("ticket__client_party_id")
        .annotate(m=Avg("sentiment"))
        .order_by()
    }
    breached = _counts(
        TicketClock.objects.filter(
            **_among(ids, party_ids, "ticket__client_party_id"), breached_at__gte=month
        ),
        "ticket__client_party_id",
    )
    reopens = _counts(
        Event.objects.filter(
            **_among(ids, party_ids, "ticket__client_party_id"),
            kind="reopened",
            created_at__gte=d30,
        ),
        "ticket__client_party_id",
    )
    unhappy = _counts(
        Survey.objects.filter(
            **_among(ids, party_ids, "ticket__client_party_id"), answered_at__gte=d90
        ).filter(Q(csat__lte=2) | Q(nps__lte=6)),
        "ticket__client_party_id",
    )
    csat = {
        r["ticket__client_party_id"]: (r["happy"] or 0, r["n"])
        for r in Survey.objects.filter(
            **_among(ids, party_ids, "ticket__client_party_id"),
            answered_at__gte=d90,
            csat__isnull=False,
        )
        .values("ticket__client_party_id")
        .annotate(n=Count("pk"), happy=Count("pk", filter=Q(csat__gte=4)))
        .order_by()
    }
    quarter = TicketClock.objects.filter(
        **_among(ids, party_ids, "ticket__client_party_id"), started_at__gte=d90
    ).filter(Q(state="fulfilled") | Q(breached_at__isnull=False))
    attainment = {
        r["ticket__client_party_id"]: (r["met"] or 0, r["n"])
        for r in quarter.values("ticket__client_party_id")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(breached_at__isnull=True)))
        .order_by()
    }
    # A hand-off's own client is the team that handed it; the customer at stake is the
    # client of the chain's root.
    chain = _counts(
        TicketClock.objects.filter(
            **_among(ids, party_ids, "ticket__chain_root__client_party_id"), breached_at__gte=month
        ),
        "ticket__chain_root__client_party_id",
    )
    week = _counts(
        Ticket.objects.filter(**_among(ids, party_ids, "client_party_id"), created_at__gte=d7),
        "client_party_id",
    )
    norm = _counts(
        Ticket.objects.filter(
            **_among(ids, party_ids, "client_party_id"),
            created_at__gte=d7 - timedelta(days=90),
            created_at__lt=d7,
        ),
        "client_party_id",
    )

    out = []
    for pk in ids:
        a = Assessment(pk)
        mean, n = recent.get(pk, (None, 0))
        if mean is not None and n:
            before = earlier.get(pk)
            drop = max(0.0, (before - mean)) if before is not None else 0.0
            points = min(30.0, max(0.0, -mean) * 30 + drop * 20)
            trend = f", down from {before:+.2f}" if before is not None and drop else ""
            a.add(
                "sentiment",
                "Negative sentiment trend",
                points,
                f"mean {mean:+.2f} over {n} messages in 30 days{trend}",
            )
        if b := breached.get(pk, 0):
            a.add("breaches", "Breaches this month", min(25, 5 * b), f"{b} SLA breaches")
        if r := reopens.get(pk, 0):
            a.add("reopens", "Reopens", min(15, 3 * r), f"{r} reopened in 30 days")
        if u := unhappy.get(pk, 0):
            a.add(
                "detractors",
                "Detractors and low CSAT",
                min(20, 5 * u),
                f"{u} answers with CSAT ≤ 2 or NPS ≤ 6 in 90 days",
            )
        happy, answered = csat.get(pk, (0, 0))
        met, clocks = attainment.get(pk, (0, 0))
        if answered >= 3 and clocks and met / clocks >= 0.9 and happy / answered < 0.6:
            a.add(
                "watermelon",
                "Watermelon: green SLA, unhappy client",
                10,
                f"{met / clocks:.0%} of clocks met, {happy / answered:.0%} satisfied",
            )
        if c := chain.get(pk, 0):
            a.add(
                "chain",
                "Breaches in their hand-offs",
                min(12, 4 * c),
                f"{c} vendor or internal breaches on work handed off for them",
            )
        weekly_norm = norm.get(pk, 0) / (90 / 7)
        w = week.get(pk, 0)
        if w >= 5 and w > 1.5 * max(weekly_norm, 1.0):
            ratio = w / max(weekly_norm, 1.0)
            a.add(
                "volume",
                "Volume spike",
                min(10.0, (ratio - 1) * 5),
                f"{w} tickets in 7 days against a weekly norm of {weekly_norm:.1f}",
            )
        out.append(a)
    out.sort(key=lambda a: -a.score)
    return out
