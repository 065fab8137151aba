"""Watermelon providers of a period (green attainment, red satisfaction), from the
clocks and surveys below this app, by the rule in `surveys.formulas.is_watermelon`
that scorecards show: one review per provider and period."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q

from rapport.core.choices import Clock
from rapport.sla.models import TicketClock
from rapport.sla.queries import attainment_counts
from rapport.surveys import formulas
from rapport.surveys.models import Survey


def _rate(achieved: int, breached: int) -> float | None:
    decided = achieved + breached
    return round(100 * achieved / decided, 1) if decided else None


def watermelons(since: datetime, until: datetime) -> dict[int, dict[str, float | None]]:
    """Provider party → its figures, for each watermelon provider of [since, until)."""
    attainment: dict[int, dict[str, float | None]] = defaultdict(dict)
    rows = (
        TicketClock.objects.filter(
            started_at__gte=since,
            started_at__lt=until,
            kind__in=(Clock.FIRST_RESPONSE, Clock.RESOLUTION),
        )
        .values("ticket__provider_party_id", "kind")
        .annotate(**attainment_counts(until))
    )
    for r in rows:
        attainment[r["ticket__provider_party_id"]][r["kind"]] = _rate(r["achieved"], r["breached"])
    surveys = (
        Survey.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("provider_party_id")
        .annotate(
            csat_n=Count("id", filter=Q(csat__isnull=False)),
            csat_sat=Count("id", filter=Q(csat__gte=4)),
            nps_n=Count("id", filter=Q(nps__isnull=False)),
            nps_pro=Count("id", filter=Q(nps__gte=9)),
            nps_det=Count("id", filter=Q(nps__lte=6)),
        )
    )
    found = {}
    for s in surveys:
        party = s["provider_party_id"]
        csat = formulas.csat(s["csat_sat"], s["csat_n"])
        nps = formulas.nps(s["nps_pro"], s["nps_det"], s["nps_n"])
        rates = attainment.get(party, {})
        if formulas.is_watermelon(rates.values(), csat, nps):
            found[party] = {
                "first_response_attainment": rates.get(Clock.FIRST_RESPONSE),
                "resolution_attainment": rates.get(Clock.RESOLUTION),
                "csat": csat,
                "nps": nps,
            }
    return found
