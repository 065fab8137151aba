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

Everything is two SQL statements of aggregates, whatever the number of tickets.
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


def _chain_sql(providers: list[int] | None) -> tuple[str, list[Any]]:
    ticket, party = Ticket._meta.db_table, Party._meta.db_table
    extra, params = "", []
    if providers is not None:
        extra = f" AND t.provider_party_id IN ({', '.join(['%s'] * len(providers))})"
        params = list(providers)
    sql = f"""
        WITH RECURSIVE chain(root_id, ticket_id, depth) AS (
            SELECT t.id, t.id, 0 FROM {ticket} t
            JOIN {party} c ON c.id = t.client_party_id
            WHERE t.parent_id IS NULL AND t.merged_into_id IS NULL AND c.kind = %s
              AND t.created_at >= %s AND t.created_at < %s{extra}
            UNION ALL
            SELECT chain.root_id, t.id, chain.depth + 1 FROM {ticket} t
            JOIN chain ON t.parent_id = chain.ticket_id
        )"""  # noqa: S608 (table names from the models; values are parameters)
    return sql, params


def chain_analytics(
    scope: Scope, *, since: datetime, until: datetime, now: datetime
) -> ChainAnalytics:
    providers = root_providers(scope)
    ticket, party, clock = Ticket._meta.db_table, Party._meta.db_table, TicketClock._meta.db_table
    chain, extra = _chain_sql(providers)
    ops = connection.ops
    period = [PartyKind.CUSTOMER.value, ops.adapt_datetimefield_value(since),
              ops.adapt_datetimefield_value(until), *extra]  # fmt: skip
    links_sql = f"""{chain}
        SELECT CASE WHEN ch.depth = 0 THEN 1 ELSE 0 END AS front, t.provider_party_id,
               p.name, p.kind, COUNT(*), COUNT(k.id), COALESCE(SUM(k.used_us), 0)
        FROM chain ch
        JOIN {ticket} t ON t.id = ch.ticket_id
        JOIN {party} p ON p.id = t.provider_party_id
        LEFT JOIN {clock} k ON k.ticket_id = t.id AND k.kind = 'resolution'
             AND k.state = 'fulfilled'
        GROUP BY CASE WHEN ch.depth = 0 THEN 1 ELSE 0 END, t.provider_party_id, p.name, p.kind
        ORDER BY 1 DESC, 7 DESC, 3"""  # noqa: S608
    breach_at = (
        "COALESCE(k.breached_at, CASE WHEN k.state = 'running' AND k.due_at < %s THEN k.due_at END)"
    )
    outcome_sql = f"""{chain},
        breaches AS (
            SELECT k.ticket_id, MIN({breach_at}) AS at FROM {clock} k
            JOIN chain ch ON ch.ticket_id = k.ticket_id
            WHERE k.state <> 'cancelled'
            GROUP BY k.ticket_id
        ),
        per_root AS (
            SELECT ch.root_id,
                   MAX(CASE WHEN ch.depth > 0 THEN 1 ELSE 0 END) AS has_children,
                   MIN(CASE WHEN ch.depth = 0 THEN b.at END) AS root_breach,
                   MIN(CASE WHEN ch.depth > 0 THEN b.at END) AS child_breach
            FROM chain ch LEFT JOIN breaches b ON b.ticket_id = ch.ticket_id
            GROUP BY ch.root_id
        )
        SELECT CASE WHEN r.has_children = 0 THEN 'no_handoffs'
                    WHEN r.child_breach IS NULL THEN 'handoffs_kept'
                    ELSE 'handoff_breached' END AS grp,
               COUNT(*),
               SUM(CASE WHEN r.root_breach IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.root_breach IS NOT NULL AND r.child_breach IS NOT NULL
                         AND r.child_breach <= r.root_breach THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END),
               COUNT(k.id), COALESCE(SUM(k.used_us), 0)
        FROM per_root r
        JOIN {ticket} t ON t.id = r.root_id
        LEFT JOIN {clock} k ON k.ticket_id = r.root_id AND k.kind = 'resolution'
             AND k.state = 'fulfilled'
        GROUP BY CASE WHEN r.has_children = 0 THEN 'no_handoffs'
                      WHEN r.child_breach IS NULL THEN 'handoffs_kept'
                      ELSE 'handoff_breached' END"""  # noqa: S608
    result = ChainAnalytics(since=since, until=until)
    with connection.cursor() as cursor:
        cursor.execute(links_sql, period)
        for front, pid, name, kind, tickets, measured, used in cursor.fetchall():
            result.links.append(
                Link(provider_id=pid, provider_name=name, provider_kind=kind, front=bool(front),
                     tickets=tickets, measured=measured,
                     business_minutes=round(int(used) / MINUTE_US, 2))
            )  # fmt: skip
        cursor.execute(outcome_sql, [*period, ops.adapt_datetimefield_value(now)])
        rows = cursor.fetchall()
    result.outcomes = {g: Outcome(group=g) for g in GROUPS}
    for grp, tickets, breached, preceded, reopened, measured, used in rows:
        result.outcomes[grp] = Outcome(
            group=grp, tickets=tickets, sla_breached=int(breached or 0),
            reopened=int(reopened or 0), resolved_measured=measured,
            resolution_minutes=round(int(used) / MINUTE_US, 2),
        )  # fmt: skip
        result.sla_breached += int(breached or 0)
        result.sla_breached_after_handoff_breach += int(preceded or 0)
        if grp == "handoff_breached":
            result.with_breached_handoff = tickets
            result.handoff_breach_then_sla_breach = int(preceded or 0)
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
