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
  kept their agreements; a hand-off that breached. The outcome is what the
  customer said in the ticket's answered survey (CSAT and NPS, with their
  counts), the reopen rate and the business time to resolution.

Everything is one SQL statement of aggregates, whatever the number of tickets. A
chain is found by `Ticket.chain_root` (kept by `create_ticket` on every ticket
handed off, at any depth), not by walking `parent` level by level.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from rapport.core.errors import PermissionDenied
from rapport.directory.models import Party, PartyKind
from rapport.directory.queries import Scope
from rapport.sla.business_time import MINUTE_US
from rapport.sla.models import TicketClock
from rapport.surveys import formulas
from rapport.surveys.models import Survey, SurveyState
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
    # The customers' answered surveys: every answer counted, whichever metrics it had.
    survey_responses: int = 0
    csat_answers: int = 0
    csat_satisfied: int = 0  # answered 4 or 5
    csat_total: int = 0
    nps_answers: int = 0
    nps_promoters: int = 0  # answered 9 or 10
    nps_detractors: int = 0  # answered 0 to 6

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

    @property
    def csat(self) -> float | None:
        """Percent of CSAT answers that were 4 or 5 (the scorecards' CSAT)."""
        return formulas.csat(self.csat_satisfied, self.csat_answers)

    @property
    def mean_csat(self) -> float | None:
        """The mean CSAT answer, 1 to 5."""
        return round(self.csat_total / self.csat_answers, 2) if self.csat_answers else None

    @property
    def nps(self) -> float | None:
        return formulas.nps(self.nps_promoters, self.nps_detractors, self.nps_answers)


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


# For this read's transaction only (SET LOCAL): no JIT, whose compiling took 1.3 s
# of a 1.9 s read when the planner over-estimated the chain (a busier quarter would
# pass its cost threshold again), and the hash aggregates of a quarter's roots in
# memory rather than spilled to disk at the default 4 MB.
PG_SETTINGS = "SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)"

# The instant a clock breached, by the attainment rule: recorded, or running overdue.
BREACH_AT = (
    "COALESCE({k}.breached_at, CASE WHEN {k}.state = 'running' AND {k}.due_at < %s "
    "THEN {k}.due_at END)"
)


def _sql(providers: list[int] | None) -> str:
    """One statement: external tickets (`roots`); each hand-off of their chains, with
    its clocks folded into one row (`link_clocks`, found by `chain_root` at any depth);
    each chain's hand-offs in one row (`child_agg`) and each root's own clocks in one
    (`per_root`). Then two groupings: roots by front provider and outcome group (the
    front links and the outcomes both add these up), and hand-offs by provider."""
    ticket, party, clock = Ticket._meta.db_table, Party._meta.db_table, TicketClock._meta.db_table
    survey = Survey._meta.db_table
    extra = ""
    if providers is not None:
        extra = f" AND t.provider_party_id IN ({', '.join(['%s'] * len(providers))})"
    resolved = "k.kind = 'resolution' AND k.state = 'fulfilled'"
    # Each ticket's clocks in one row: when it first breached, and the business time
    # of its fulfilled resolution (every cycle of it, for a reopened ticket).
    clock_figures = f"""MIN(CASE WHEN k.state <> 'cancelled' THEN {BREACH_AT.format(k="k")} END)
                       AS breach_at,
                   SUM(CASE WHEN {resolved} THEN k.used_us ELSE 0 END) AS used,
                   MAX(CASE WHEN {resolved} THEN 1 ELSE 0 END) AS measured"""
    group = (
        "CASE WHEN c.root_id IS NULL THEN 'no_handoffs' WHEN c.child_breach IS NULL "
        "THEN 'handoffs_kept' ELSE 'handoff_breached' END"
    )
    return f"""
        WITH roots AS (
            SELECT t.id, t.provider_party_id AS provider, t.reopen_count AS reopens
            FROM {ticket} t
            WHERE t.parent_id IS NULL AND t.merged_into_id IS NULL
              AND t.client_party_id IN (SELECT p.id FROM {party} p WHERE p.kind = %s)
              AND t.created_at >= %s AND t.created_at < %s{extra}
        ),
        link_clocks AS (
            SELECT c.chain_root_id AS root_id, c.provider_party_id AS provider,
                   {clock_figures}
            FROM roots r JOIN {ticket} c ON c.chain_root_id = r.id
            LEFT JOIN {clock} k ON k.ticket_id = c.id
            GROUP BY c.id, c.chain_root_id, c.provider_party_id
        ),
        child_agg AS (
            SELECT root_id, MIN(breach_at) AS child_breach FROM link_clocks GROUP BY root_id
        ),
        per_root AS (
            SELECT r.id, r.provider, r.reopens, {clock_figures}
            FROM roots r LEFT JOIN {clock} k ON k.ticket_id = r.id
            GROUP BY r.id, r.provider, r.reopens
        ),
        figures AS (
            SELECT 'root' AS role, r.provider, {group} AS grp, COUNT(*) AS n,
                   SUM(r.measured) AS measured, COALESCE(SUM(r.used), 0) AS used,
                   SUM(CASE WHEN r.breach_at IS NOT NULL THEN 1 ELSE 0 END) AS breached,
                   SUM(CASE WHEN r.breach_at IS NOT NULL AND c.child_breach IS NOT NULL
                             AND c.child_breach <= r.breach_at THEN 1 ELSE 0 END) AS preceded,
                   SUM(CASE WHEN r.reopens > 0 THEN 1 ELSE 0 END) AS reopened,
                   COUNT(s.id) AS responses, COUNT(s.csat) AS csat_n,
                   SUM(CASE WHEN s.csat >= 4 THEN 1 ELSE 0 END) AS csat_satisfied,
                   COALESCE(SUM(s.csat), 0) AS csat_total, COUNT(s.nps) AS nps_n,
                   SUM(CASE WHEN s.nps >= 9 THEN 1 ELSE 0 END) AS promoters,
                   SUM(CASE WHEN s.nps <= 6 THEN 1 ELSE 0 END) AS detractors
            FROM per_root r LEFT JOIN child_agg c ON c.root_id = r.id
            LEFT JOIN {survey} s ON s.ticket_id = r.id AND s.state = %s
            GROUP BY r.provider, {group}
            UNION ALL
            SELECT 'handoff', l.provider, '', COUNT(*), SUM(l.measured),
                   COALESCE(SUM(l.used), 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM link_clocks l GROUP BY l.provider
        )
        SELECT f.role, f.provider, p.name, p.kind, f.grp, f.n, f.measured, f.used, f.breached,
               f.preceded, f.reopened, f.responses, f.csat_n, f.csat_satisfied, f.csat_total,
               f.nps_n, f.promoters, f.detractors
        FROM figures f JOIN {party} p ON p.id = f.provider"""  # noqa: S608 (table names from the models; values are parameters)


def chain_analytics(
    scope: Scope, *, since: datetime, until: datetime, now: datetime
) -> ChainAnalytics:
    """The chain's figures for [since, until) in one SQL statement (see the module doc)."""
    providers = root_providers(scope)
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    params = [PartyKind.CUSTOMER.value, ops.adapt_datetimefield_value(since),
              ops.adapt_datetimefield_value(until), *(providers or []), at, at,
              SurveyState.ANSWERED.value]  # fmt: skip
    postgres = connection.vendor == "postgresql"
    # On SQLite a transaction would take the write lock (IMMEDIATE): the read runs alone.
    with transaction.atomic() if postgres else nullcontext(), connection.cursor() as cursor:
        if postgres:
            cursor.execute(PG_SETTINGS)
        cursor.execute(_sql(providers), params)
        rows = cursor.fetchall()
    result = ChainAnalytics(since=since, until=until)
    result.outcomes = {g: Outcome(group=g) for g in GROUPS}
    fronts: dict[int, Link] = {}
    # Business time in microseconds, added up before it is turned into minutes.
    used_us: dict[tuple[str, object], int] = {}
    for role, pid, name, kind, group, n, *numbers in rows:
        measured, used, breached, preceded, reopened, *survey = (int(x or 0) for x in numbers)
        if role == "handoff":
            result.links.append(
                Link(provider_id=pid, provider_name=name, provider_kind=kind, front=False,
                     tickets=n, measured=measured, business_minutes=round(used / MINUTE_US, 2))
            )  # fmt: skip
            continue
        # A root row: its provider's front link and its group's outcome both count it.
        front = fronts.setdefault(
            pid, Link(provider_id=pid, provider_name=name, provider_kind=kind, front=True,
                      tickets=0, measured=0, business_minutes=0.0),
        )  # fmt: skip
        front.tickets += n
        front.measured += measured
        used_us["front", pid] = used_us.get(("front", pid), 0) + used
        o = result.outcomes[group]
        o.tickets += n
        o.sla_breached += breached
        o.reopened += reopened
        o.resolved_measured += measured
        used_us["outcome", group] = used_us.get(("outcome", group), 0) + used
        responses, csat_n, satisfied, csat_total, nps_n, promoters, detractors = survey
        o.survey_responses += responses
        o.csat_answers += csat_n
        o.csat_satisfied += satisfied
        o.csat_total += csat_total
        o.nps_answers += nps_n
        o.nps_promoters += promoters
        o.nps_detractors += detractors
        result.sla_breached += breached
        result.sla_breached_after_handoff_breach += preceded
        if group == "handoff_breached":
            result.with_breached_handoff += n
            result.handoff_breach_then_sla_breach += preceded
    for pid, front in fronts.items():
        front.business_minutes = round(used_us["front", pid] / MINUTE_US, 2)
    for group, o in result.outcomes.items():
        o.resolution_minutes = round(used_us.get(("outcome", group), 0) / MINUTE_US, 2)
    result.links.extend(fronts.values())
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
                "survey_responses": o.survey_responses,
                "csat_answers": o.csat_answers,
                "csat_satisfied": o.csat_satisfied,
                "csat": o.csat,
                "mean_csat": o.mean_csat,
                "nps_answers": o.nps_answers,
                "nps_promoters": o.nps_promoters,
                "nps_detractors": o.nps_detractors,
                "nps": o.nps,
            }
            for o in result.outcomes.values()
        ],
    }
