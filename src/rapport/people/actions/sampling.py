"""The weekly review sample: per provider, a reproducible random draw (seeded by week
and provider) plus risk picks (low CSAT, breaches, reopens, long threads) into the
reviewers' queue."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for
from rapport.people.models import (
    SampleItem,
)
from rapport.people.models.quality import SampleReason
from rapport.sla.models import TicketClock
from rapport.surveys.models import Survey
from rapport.tickets.models import Ticket

SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_TEXT = 5000
MAX_CATEGORIES = 30


def scope_of(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def _text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("This field is required.", field=field)
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return value


# --- the weekly sample --------------------------------------------------------------

RANDOM_PER_PROVIDER = 5
RISK_PER_REASON = 2
LONG_THREAD = 10
LOW_CSAT = 2


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _seed(week: date, provider_party_id: int) -> int:
    """Reproducible: the same week and provider draw the same sample on every run."""
    digest = hashlib.sha256(f"qa-sample:{week.isoformat()}:{provider_party_id}".encode())
    return int.from_bytes(digest.digest()[:8], "big")


def _start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def weekly_candidates(week: date) -> dict[int, dict[str, list[int]]]:
    """Per provider, the conversations solved in the week: every id (for the random
    draw) and the risky ones worst first. A handful of grouped queries, each on an
    indexed column, whatever the number of tickets."""
    since, until = _start(week), _start(week + timedelta(days=7))
    solved = Ticket.objects.filter(solved_at__gte=since, solved_at__lt=until,
                                   provider_party_id__isnull=False)  # fmt: skip
    out: dict[int, dict[str, list[int]]] = {}

    def add(reason: str, rows: Iterable[tuple[int, int]]) -> None:
        for provider, ticket in rows:
            out.setdefault(provider, {}).setdefault(reason, []).append(ticket)

    add(SampleReason.RANDOM, solved.order_by("id").values_list("provider_party_id", "id"))
    add(SampleReason.REOPENED, solved.filter(reopen_count__gt=0).order_by(
        "-reopen_count", "id").values_list("provider_party_id", "id"))  # fmt: skip
    add(SampleReason.LONG_THREAD, solved.filter(message_count__gte=LONG_THREAD).order_by(
        "-message_count", "id").values_list("provider_party_id", "id"))  # fmt: skip
    add(SampleReason.LOW_CSAT, Survey.objects.filter(
        ticket__solved_at__gte=since, ticket__solved_at__lt=until, csat__lte=LOW_CSAT,
    ).order_by("csat", "ticket_id").values_list("provider_party_id", "ticket_id"))  # fmt: skip
    add(SampleReason.BREACH, TicketClock.objects.filter(
        ticket__solved_at__gte=since, ticket__solved_at__lt=until, breached_at__isnull=False,
    ).order_by("ticket_id").distinct().values_list(
        "ticket__provider_party_id", "ticket_id"))  # fmt: skip
    return out


def pick_sample(
    week: date,
    provider_party_id: int,
    candidates: Mapping[str, Sequence[int]],
    *,
    size: int = RANDOM_PER_PROVIDER,
    per_risk: int = RISK_PER_REASON,
) -> list[tuple[int, str]]:
    """Risk picks first (worst first, up to `per_risk` each), then a seeded random
    draw of `size` among the rest."""
    chosen: dict[int, str] = {}
    for reason in (SampleReason.LOW_CSAT, SampleReason.BREACH, SampleReason.REOPENED,
                   SampleReason.LONG_THREAD):  # fmt: skip
        taken = 0
        for ticket in candidates.get(reason, ()):
            if taken == per_risk:
                break
            if ticket not in chosen:
                chosen[ticket] = reason
                taken += 1
    pool = sorted(set(candidates.get(SampleReason.RANDOM, ())) - chosen.keys())
    rng = random.Random(_seed(week, provider_party_id))
    for ticket in rng.sample(pool, min(size, len(pool))):
        chosen[ticket] = SampleReason.RANDOM
    return list(chosen.items())


@transaction.atomic
def draw_weekly_sample(week: date, *, size: int = RANDOM_PER_PROVIDER,
                       per_risk: int = RISK_PER_REASON) -> int:  # fmt: skip
    """Fill the reviewers' queue for one week (Monday); running it again adds nothing."""
    week = week_of(week)
    now = clock.now()
    rows = [
        SampleItem(week=week, provider_party_id=provider, ticket_id=ticket, reason=reason,
                   created_at=now)
        for provider, candidates in weekly_candidates(week).items()
        for ticket, reason in pick_sample(week, provider, candidates, size=size,
                                          per_risk=per_risk)
    ]  # fmt: skip
    before = SampleItem.objects.filter(week=week).count()
    SampleItem.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return SampleItem.objects.filter(week=week).count() - before
