"""The forecast sweep: every live clock's chance of breach, stored for the queue sort
and the clock panel; early warnings to the provider, and to whoever works a hand-off
that threatens the customer's own SLA."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from rapport.core import clock
from rapport.core.choices import ACTIVE_CATEGORIES
from rapport.directory.models import OrgMembership, Person, TeamMembership
from rapport.notifications.actions import notify
from rapport.proactive import forecast
from rapport.proactive.models import ClockForecast
from rapport.sla.business_time import compile_calendar
from rapport.sla.clocks import used_us
from rapport.sla.models import ClockState, TicketClock
from rapport.tickets import events
from rapport.tickets.models import Ticket

MINUTE_US = 60_000_000
# Finished clocks of the last half year teach the baseline.
HISTORY = timedelta(days=180)


def learn(now: datetime) -> forecast.History:
    """The baseline curves from clocks finished in the last `HISTORY`."""
    rows = (
        TicketClock.objects.filter(started_at__gte=now - HISTORY)
        .filter(Q(state=ClockState.FULFILLED) | Q(breached_at__isnull=False))
        .values_list("kind", "priority", "used_us", "target_minutes", "breached_at")
        .iterator(chunk_size=5000)
    )
    return forecast.history(
        (
            kind,
            priority,
            math.inf if breached is not None else used / (target * MINUTE_US) if target else 0.0,
        )
        for kind, priority, used, target, breached in rows
    )


def _median(values: list[int]) -> float:
    return float(forecast.median(values) or 0)


def _provider_people(parties: set[int]) -> dict[int, list[Person]]:
    """Who hears a provider's warning: its team's members, or a vendor's users."""
    people: dict[int, list[Person]] = defaultdict(list)
    for m in TeamMembership.objects.filter(team__party_id__in=parties).select_related(
        "person", "team"
    ):
        people[m.team.party_id].append(m.person)
    for o in OrgMembership.objects.filter(organisation__party_id__in=parties).select_related(
        "person", "organisation"
    ):
        people[o.organisation.party_id].append(o.person)
    return people


@transaction.atomic
def refresh_forecasts(now: datetime | None = None, *, warn: bool = True) -> int:
    """Forecast every live, unbreached clock; warn once per clock at `WARN_AT`, only
    while the agreement's own warning has not fired yet (the point is to come first)."""
    now = now or clock.now()
    model = learn(now)
    live = list(
        TicketClock.objects.filter(
            state__in=(ClockState.RUNNING, ClockState.PAUSED),
            breached_at__isnull=True,
            ticket__status_category__in=ACTIVE_CATEGORIES,
        )
        .select_related("agreement__calendar", "ticket")
        .order_by("due_at", "id")
    )
    # The queue ahead: per provider, live clocks due earlier (the list is in due order).
    seen: dict[int, int] = defaultdict(int)
    ahead: dict[int, int] = {}
    for c in live:
        ahead[c.pk] = seen[c.ticket.provider_party_id]
        seen[c.ticket.provider_party_id] += 1
    open_by_assignee: dict[int, int] = defaultdict(int)
    for assignee_id in {c.ticket_id: c.ticket.assignee_id for c in live}.values():
        if assignee_id is not None:
            open_by_assignee[assignee_id] += 1
    assignee_norm = _median(list(open_by_assignee.values()))
    queue_norm = _median(list(ahead.values()))

    old = {f.clock_id: f for f in ClockForecast.objects.filter(clock_id__in=[c.pk for c in live])}
    rows: list[ClockForecast] = []
    alarming: list[tuple[TicketClock, float]] = []
    for c in live:
        target = c.target_minutes * MINUTE_US
        used = used_us(c, compile_calendar(c.agreement.calendar), now)
        u = used / target if target else 1.0
        t = c.ticket
        load = forecast.load_ratio(
            ahead[c.pk],
            queue_norm,
            open_by_assignee.get(t.assignee_id) if t.assignee_id else None,
            assignee_norm,
        )
        p = forecast.probability(model.for_clock(c.kind, c.priority), u, load)
        factors: dict[str, Any] = {
            "used_fraction": round(u, 3),
            "left_minutes": round((target - used) / MINUTE_US, 1),
            "queue_ahead": ahead[c.pk],
            "load": round(load, 2),
            "kind": c.kind,
            "agreement_kind": c.agreement.kind,
        }
        previous = old.get(c.pk)
        warned_at = previous.warned_at if previous else None
        # Over its target already: the sweeper's breach says so, not a forecast.
        if warn and warned_at is None and p >= forecast.WARN_AT and c.warned_percent == 0 and u < 1:
            warned_at = now
            alarming.append((c, p))
        rows.append(
            ClockForecast(
                clock=c,
                ticket=t,
                probability=round(p, 4),
                factors=factors,
                computed_at=now,
                warned_at=warned_at,
            )
        )
    ClockForecast.objects.exclude(clock_id__in=[c.pk for c in live]).delete()
    ClockForecast.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["clock"],
        update_fields=["probability", "factors", "computed_at", "warned_at"],
    )
    if alarming:
        _warn(alarming)
    return len(rows)


def _warn(alarming: list[tuple[TicketClock, float]]) -> None:
    parents = {
        t.pk: t
        for t in Ticket.objects.filter(
            pk__in={c.ticket.chain_root_id for c, _ in alarming if c.ticket.chain_root_id}
        ).select_related("client_party")
    }
    providers = _provider_people({c.ticket.provider_party_id for c, _ in alarming})
    for c, p in alarming:
        t = c.ticket
        text = (
            f"#{t.pk}: {p:.0%} chance the {c.get_kind_display().lower()} clock breaches "
            f"(due {c.due_at:%Y-%m-%d %H:%M} UTC)."
            if c.due_at
            else f"#{t.pk}: {p:.0%} chance the {c.get_kind_display().lower()} clock breaches."
        )
        root = parents.get(t.chain_root_id or 0)
        stake: dict[str, Any] = {}
        if root is not None and root.client_party.kind != "team":
            # A hand-off threatening the customer's own SLA: name the ticket at stake.
            text += f" Customer ticket #{root.pk} ({root.client_party.name}) waits on it."
            stake = {"customer_ticket": root.pk, "customer": root.client_party_id}
        recipients = [t.assignee] if t.assignee else providers.get(t.provider_party_id, [])
        notify(recipients, "breach_forecast", t, text)
        events.append(
            t,
            None,
            "breach_forecast",
            field=c.kind,
            new=f"{p:.2f}",
            clock=c.pk,
            probability=round(p, 4),
            **stake,
        )
