"""Chain analytics for a period: how each link of the customer's chain served them.

The tickets counted are *external*: tickets of a customer, not handed over from
another ticket, created in [since, until). Their chain is every ticket handed
off from them, at any depth (a recursive query over `Ticket.parent`).

* Time per link: the business time a link's resolution clock used (pauses
  excluded), over links whose resolution clock is fulfilled; the front link is
  whoever served the customer (our team, or a contractor in our name).
* A link is *breached* as in attainment (`sla.queries`): a clock of it used more
  than its target, recorded or still running overdue; it breached at
  `breached_at`, or at `due_at` while running overdue.
* Outcomes of external tickets, in three groups: no hand-offs; hand-offs that all
  kept their agreements; a hand-off that breached. Until surveys exist the outcome
  is the reopen rate and the business time to resolution.

Everything is one SQL statement of aggregates, whatever the number of tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection

from rapport.core.errors import PermissionDenied
from rapport.directory.models import Party, PartyKind
from rapport.directory.queries import Scope
from rapport.sla.business_time import MINUTE_US
from rapport.sla.models import TicketClock
from rapport.tickets.models import Ticket

GROUPS = ("no_handoffs", "handoffs_kept", "handoff_breached")
GROUP_LABELS = {
    "no_handoffs": "No hand-offs",
    "handoffs_kept": "Hand-offs, none breached",
    "handoff_breached": "A hand-off breached",
}


@dataclass
class Link:
    provider_id: int
    provider_name: str
    provider_kind: str
    front: bool  # served the customer directly (else: worked a hand-off)
    tickets: int
    measured: int
    business_minutes: float

    @property
    def mean_minutes(self) -> float | None:
        return round(self.business_minutes / self.measured, 2) if self.measured else None


@dataclass
class Outcome:
    group: str
    tickets: int = 0
    sla_breached: int = 0
    reopened: int = 0
    resolved_measured: int = 0
    resolution_minutes: float = 0.0

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def reopen_rate(self) -> float | None:
        return round(self.reopened / self.tickets, 4) if self.tickets else None

    @property
    def sla_breach_rate(self) -> float | None:
        return round(self.sla_breached / self.tickets, 4) if self.tickets else None

    @property
    def mean_resolution_minutes(self) -> float | None:
        if not self.resolved_measured:
            return None
        return round(self.resolution_minutes / self.resolved_measured, 2)


@dataclass
class ChainAnalytics:
    since: datetime
    until: datetime
    links: list[Link] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    # Of external tickets whose SLA breached, how many had a hand-off breach first.
    sla_breached: int = 0
    sla_breached_after_handoff_breach: int = 0
    # Of external tickets with a breached hand-off, how many then breached their SLA.
    with_breached_handoff: int = 0
    handoff_breach_then_sla_breach: int = 0

    @property
    def external_tickets(self) -> int:
        return sum(o.tickets for o in self.outcomes.values())

    @property
    def total_link_minutes(self) -> float:
        return sum(link.business_minutes for link in self.links)


def root_providers(scope: Scope) -> list[int] | None:
    """Whose customers' chains a person may count: None means every provider."""
    if scope.sees_everything:
        return None
    if not scope.is_staff or not scope.team_party_ids:
        raise PermissionDenied("Chain analytics are for our staff.")
    return sorted(scope.team_party_ids)


# The instant a clock breached, by the attainment rule: recorded, or running overdue.
BREACH_AT = (
    "COALESCE({k}.breached_at, CASE WHEN {k}.state = 'running' AND {k}.due_at < %s "
    "THEN {k}.due_at END)"
)


def _sql(providers: list[int] | None) -> str:
    """One statement: external tickets (`roots`), every link handed off from them at
    any depth (`links`, recursive), each link's clocks (`link_clocks`) and each root's
    (`per_root`); then three groupings of them, told apart by the first column."""
    ticket, party, clock = Ticket._meta.db_table, Party._meta.db_table, TicketClock._meta.db_table
    extra = ""
    if providers is not None:
        extra = f" AND t.provider_party_id IN ({', '.join(['%s'] * len(providers))})"
    resolved = "k.kind = 'resolution' AND k.state = 'fulfilled'"
    group = (
        "CASE WHEN r.children = 0 THEN 'no_handoffs' WHEN r.child_breach IS NULL "
        "THEN 'handoffs_kept' ELSE 'handoff_breached' END"
    )
    return f"""
        WITH RECURSIVE roots AS (
            SELECT t.id, t.provider_party_id AS provider, t.reopen_count AS reopens
            FROM {ticket} t
            WHERE t.parent_id IS NULL AND t.merged_into_id IS NULL
              AND t.client_party_id IN (SELECT p.id FROM {party} p WHERE p.kind = %s)
              AND t.created_at >= %s AND t.created_at < %s{extra}
        ),
        links(root_id, ticket_id, provider) AS (
            SELECT r.id, c.id, c.provider_party_id FROM roots r
            CROSS JOIN {ticket} c WHERE c.parent_id = r.id
            UNION ALL
            SELECT l.root_id, t.id, t.provider_party_id FROM links l
            CROSS JOIN {ticket} t WHERE t.parent_id = l.ticket_id
        ),
        link_clocks AS (
            SELECT l.root_id, l.ticket_id, l.provider,
                   MIN(CASE WHEN k.state <> 'cancelled' THEN {BREACH_AT.format(k="k")} END)
                       AS breach_at,
                   SUM(CASE WHEN {resolved} THEN k.used_us ELSE 0 END) AS used,
                   MAX(CASE WHEN {resolved} THEN 1 ELSE 0 END) AS measured
            FROM links l LEFT JOIN {clock} k ON k.ticket_id = l.ticket_id
            GROUP BY l.root_id, l.ticket_id, l.provider
        ),
        child_agg AS (
            SELECT root_id, COUNT(*) AS children, MIN(breach_at) AS child_breach
            FROM link_clocks GROUP BY root_id
        ),
        root_clocks AS (
            -- One pass over each root's clocks: when it first breached, and the
            -- business time of its fulfilled resolution.
            SELECT r.id AS root_id, MAX(r.provider) AS provider, MAX(r.reopens) AS reopens,
                   MIN(CASE WHEN k.state <> 'cancelled' THEN {BREACH_AT.format(k="k")} END)
                       AS root_breach,
                   SUM(CASE WHEN {resolved} THEN k.used_us ELSE 0 END) AS used,
                   MAX(CASE WHEN {resolved} THEN 1 ELSE 0 END) AS measured
            FROM roots r LEFT JOIN {clock} k ON k.ticket_id = r.id
            GROUP BY r.id
        ),
        per_root AS (
            SELECT r.*, COALESCE(c.children, 0) AS children, c.child_breach
            FROM root_clocks r LEFT JOIN child_agg c ON c.root_id = r.root_id
        )
        SELECT 'front', p.id, p.name, p.kind, COUNT(*), SUM(r.measured),
               COALESCE(SUM(r.used), 0), 0, 0, 0
        FROM per_root r JOIN {party} p ON p.id = r.provider
        GROUP BY p.id, p.name, p.kind
        UNION ALL
        SELECT 'handoff', p.id, p.name, p.kind, COUNT(*), SUM(l.measured),
               COALESCE(SUM(l.used), 0), 0, 0, 0
        FROM link_clocks l JOIN {party} p ON p.id = l.provider
        GROUP BY p.id, p.name, p.kind
        UNION ALL
        SELECT 'outcome', 0, {group}, '', COUNT(*), SUM(r.measured), COALESCE(SUM(r.used), 0),
               SUM(CASE WHEN r.root_breach IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.root_breach IS NOT NULL AND r.child_breach IS NOT NULL
                         AND r.child_breach <= r.root_breach THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.reopens > 0 THEN 1 ELSE 0 END)
        FROM per_root r
        GROUP BY {group}"""  # noqa: S608 (table names from the models; values are parameters)


def chain_analytics(
    scope: Scope, *, since: datetime, until: datetime, now: datetime
) -> ChainAnalytics:
    """The chain's figures for [since, until) in one SQL statement (see the module doc)."""
    providers = root_providers(scope)
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    params = [PartyKind.CUSTOMER.value, ops.adapt_datetimefield_value(since),
              ops.adapt_datetimefield_value(until), *(providers or []), at, at]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_sql(providers), params)
        rows = cursor.fetchall()
    result = ChainAnalytics(since=since, until=until)
    result.outcomes = {g: Outcome(group=g) for g in GROUPS}
    for role, pid, name, kind, n, measured, used, breached, preceded, reopened in rows:
        minutes = round(int(used) / MINUTE_US, 2)
        if role != "outcome":
            result.links.append(
                Link(provider_id=pid, provider_name=name, provider_kind=kind,
                     front=role == "front", tickets=n, measured=int(measured or 0),
                     business_minutes=minutes)
            )  # fmt: skip
            continue
        result.outcomes[name] = Outcome(
            group=name, tickets=n, sla_breached=int(breached or 0),
            reopened=int(reopened or 0), resolved_measured=int(measured or 0),
            resolution_minutes=minutes,
        )  # fmt: skip
        result.sla_breached += int(breached or 0)
        result.sla_breached_after_handoff_breach += int(preceded or 0)
        if name == "handoff_breached":
            result.with_breached_handoff = n
            result.handoff_breach_then_sla_breach = int(preceded or 0)
    result.links.sort(key=lambda link: (not link.front, -link.business_minutes, link.provider_name))
    return result


def analytics_dict(result: ChainAnalytics) -> dict[str, Any]:
    return {
        "since": result.since,
        "until": result.until,
        "external_tickets": result.external_tickets,
        "links": [
            {
                "provider": link.provider_id,
                "provider_name": link.provider_name,
                "provider_kind": link.provider_kind,
                "front": link.front,
                "tickets": link.tickets,
                "measured": link.measured,
                "business_minutes": link.business_minutes,
                "mean_minutes": link.mean_minutes,
            }
            for link in result.links
        ],
        "breaches": {
            "sla_breached": result.sla_breached,
            "sla_breached_after_handoff_breach": result.sla_breached_after_handoff_breach,
            "with_breached_handoff": result.with_breached_handoff,
            "handoff_breach_then_sla_breach": result.handoff_breach_then_sla_breach,
        },
        "outcomes": [
            {
                "group": o.group,
                "label": o.label,
                "tickets": o.tickets,
                "sla_breached": o.sla_breached,
                "sla_breach_rate": o.sla_breach_rate,
                "reopened": o.reopened,
                "reopen_rate": o.reopen_rate,
                "resolved_measured": o.resolved_measured,
                "mean_resolution_minutes": o.mean_resolution_minutes,
            }
            for o in result.outcomes.values()
        ],
    }
