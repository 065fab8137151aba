"""Chain analytics on the hand-built chain of `chainworld`, answers worked out there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.chain.analytics import chain_analytics
from rapport.chain.tests.chainworld import T0, build_chain
from rapport.core.errors import PermissionDenied
from rapport.directory.queries import scope_for
from rapport.testing import World
from rapport.tickets.models import Ticket

SINCE, UNTIL, NOW = T0 - timedelta(days=1), T0 + timedelta(days=1), T0 + timedelta(days=1)


def test_time_in_each_link(world: World) -> None:
    build_chain(world)
    result = chain_analytics(scope_for(world.manager), since=SINCE, until=UNTIL, now=NOW)
    links = {(link.provider_name, link.front): link for link in result.links}
    assert set(links) == {
        ("Customer Support", True), ("IT Service Desk", False), ("PrintCo", False),
    }  # fmt: skip
    front = links["Customer Support", True]
    # T1 130 (100 before the reopen, 30 after), T2 200, T3 700, T4 300.
    assert (front.tickets, front.measured, front.business_minutes) == (4, 4, 1330)
    it = links["IT Service Desk", False]
    assert (it.tickets, it.business_minutes, it.mean_minutes) == (2, 60 + 275, 167.5)
    vendor = links["PrintCo", False]
    assert (vendor.tickets, vendor.business_minutes) == (2, 300 + 250)
    assert result.external_tickets == 4


def test_breached_handoffs_before_breached_slas(world: World) -> None:
    build_chain(world)
    result = chain_analytics(scope_for(world.manager), since=SINCE, until=UNTIL, now=NOW)
    # Only T3 breached its SLA (at 600), after its hand-off breached (at 260).
    assert (result.sla_breached, result.sla_breached_after_handoff_breach) == (1, 1)
    # T3 and T4 had a breached hand-off (T4's at two depths); only T3 then breached.
    assert (result.with_breached_handoff, result.handoff_breach_then_sla_breach) == (2, 1)


def test_outcomes_with_and_without_a_breached_link(world: World) -> None:
    build_chain(world)
    result = chain_analytics(scope_for(world.manager), since=SINCE, until=UNTIL, now=NOW)
    none, kept, breached = (result.outcomes[g] for g in
                            ("no_handoffs", "handoffs_kept", "handoff_breached"))  # fmt: skip
    assert (none.tickets, none.reopened, none.reopen_rate, none.mean_resolution_minutes) == (
        1, 1, 1.0, 130,
    )  # fmt: skip
    assert (kept.tickets, kept.sla_breached, kept.mean_resolution_minutes) == (1, 0, 200)
    assert (breached.tickets, breached.sla_breached, breached.sla_breach_rate) == (2, 1, 0.5)
    assert breached.mean_resolution_minutes == (700 + 300) / 2
    assert breached.reopen_rate == 0


def test_what_customers_said_by_chain(world: World) -> None:
    chain = build_chain(world)
    from rapport.surveys import actions as survey_actions

    def rate(ticket: Ticket, **ratings: int) -> None:
        survey_actions.answer(ticket.survey, actor=world.contact, ratings=ratings)

    rate(chain.t1, csat=4)  # no NPS answer
    rate(chain.t3, csat=2, nps=3)
    rate(chain.t4, csat=5, nps=9)
    # T2 (hand-offs kept) never answered; the employee's internal request is no
    # customer's: neither counts.
    result = chain_analytics(scope_for(world.manager), since=SINCE, until=UNTIL, now=NOW)
    none, kept, breached = (result.outcomes[g] for g in
                            ("no_handoffs", "handoffs_kept", "handoff_breached"))  # fmt: skip
    assert (none.survey_responses, none.csat_answers, none.csat, none.mean_csat) == (
        1, 1, 100.0, 4.0,
    )  # fmt: skip
    assert (none.nps_answers, none.nps) == (0, None)
    assert (kept.survey_responses, kept.csat_answers, kept.csat, kept.mean_csat, kept.nps) == (
        0, 0, None, None, None,
    )  # fmt: skip
    # T3 and T4: one of two satisfied (5; 2 is not), mean (2 + 5) / 2; one promoter (9)
    # and one detractor (3) make an NPS of 0.
    assert (breached.survey_responses, breached.csat_answers, breached.csat_satisfied) == (2, 2, 1)
    assert (breached.csat, breached.mean_csat) == (50.0, 3.5)
    assert (breached.nps_answers, breached.nps_promoters, breached.nps_detractors) == (2, 1, 1)
    assert breached.nps == 0.0


def test_a_running_overdue_link_counts_as_breached(world: World) -> None:
    chain = build_chain(world)
    from rapport.chain import actions as chain_actions
    from rapport.chain.tests.chainworld import at
    from rapport.tickets import actions

    with at(800):
        actions.reopen(world.agent, chain.t2)
        chain_actions.hand_off(
            world.agent, chain.t2, provider=world.vendor.party, subject="Again", note="Still"
        )
    # 240 minutes later the vendor's clock runs out; nobody swept it yet.
    result = chain_analytics(
        scope_for(world.manager), since=SINCE, until=UNTIL, now=T0 + timedelta(minutes=1100)
    )
    assert result.outcomes["handoff_breached"].tickets == 3
    assert result.outcomes["handoffs_kept"].tickets == 0


def test_one_statement_whatever_the_data(world: World) -> None:
    build_chain(world)
    scope = scope_for(world.manager)
    with CaptureQueriesContext(connection) as queries:
        chain_analytics(scope, since=SINCE, until=UNTIL, now=NOW)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    if connection.vendor == "postgresql":
        # The statement's own settings first (no JIT, room for its aggregates).
        assert "set_config('jit', 'off', true)" in statements.pop(0)
    assert len(statements) == 1
    assert statements[0].lstrip().startswith("WITH roots AS")


def test_an_agent_counts_their_teams_customers_only(world: World) -> None:
    build_chain(world)
    mine = chain_analytics(scope_for(world.agent), since=SINCE, until=UNTIL, now=NOW)
    assert mine.external_tickets == 4
    # IT's agent served no customer directly: their team has no external tickets.
    theirs = chain_analytics(scope_for(world.other_agent), since=SINCE, until=UNTIL, now=NOW)
    assert theirs.external_tickets == 0


@pytest.mark.parametrize("role", ["contact", "vendor_user", "employee"])
def test_clients_and_vendors_get_no_analytics(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        chain_analytics(scope_for(world.people[role]), since=SINCE, until=UNTIL, now=NOW)
