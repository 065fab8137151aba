"""A small, hand-built service chain whose analytics are worked out by hand.

Agreements on a 24×7 calendar, so business minutes are wall-clock minutes:
Support serves Globex (SLA, resolution 600 min), IT serves Support (OLA, 120),
PrintCo serves Support and IT (UC, 240). Minutes below are after T0.

T1  no hand-offs; solved at 100, reopened by the customer at 120, solved at 150:
    resolution used 130, reopened once, SLA kept.
T2  handed to IT at 10; IT solves at 70 (60, OLA kept); T2 solved at 200.
T3  handed to PrintCo at 20; PrintCo solves at 320 (300 > 240: breached at 260);
    T3 solved at 700 (> 600: breached at 600, after the hand-off's breach).
T4  handed to IT at 5; IT hands to PrintCo at 10; PrintCo solves at 260 (250:
    breached at 250); IT solves at 280 (275: breached at 125); T4 solved at 300.
Outside: a Globex ticket two days before the period, and an employee's request
to IT (an internal customer) in it: neither is an external ticket of the period.
Globex's agreement asks CSAT and NPS: each solved T has a survey, unanswered.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement
from rapport.chain import actions as chain_actions
from rapport.core import clock
from rapport.surveys import actions as survey_actions
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket
from rapport.tickets.testing import drain_reactions

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(minutes: float) -> AbstractContextManager[None]:
    return clock.travel_to(T0 + timedelta(minutes=minutes))


@dataclass
class Chain:
    sla: Agreement
    ola: Agreement
    uc: Agreement
    t1: Ticket
    t2: Ticket
    t3: Ticket
    t4: Ticket


def build_chain(world: World) -> Chain:
    always = agreement_actions.create_calendar(None, name="Always", always_open=True)

    def agreement(
        name: str, kind: str, provider: object, client: object, minutes: int
    ) -> Agreement:
        return agreement_actions.create_agreement(
            None, name=name, kind=kind, provider=provider, client=client,  # type: ignore[arg-type]
            calendar=always, active_from=date(2025, 1, 1),
            targets=[{"priority": "normal", "resolution_minutes": minutes}],
        )  # fmt: skip

    sla = agreement("Globex 24x7", "sla", world.support.party, world.customer.party, 600)
    # Globex is asked CSAT and NPS once a ticket is solved (the answers are each test's).
    survey_actions.configure(None, sla, csat=True, nps=True)
    ola = agreement("IT for Support", "ola", world.it.party, world.support.party, 120)
    uc = agreement("PrintCo for Support", "uc", world.vendor.party, world.support.party, 240)
    agreement("PrintCo for IT", "uc", world.vendor.party, world.it.party, 240)
    solved, agent, it, vendor = (
        actions.default_status("solved"),
        world.agent,
        world.other_agent,
        world.vendor_user,
    )

    def solve(who: object, ticket: Ticket) -> None:
        actions.set_status(who, ticket, solved)  # type: ignore[arg-type]
        drain_reactions()  # surveys and the parent's notice are reactions to the solve

    with clock.travel_to(T0 - timedelta(days=2)):
        world.ticket("contact", subject="Before the period")
    with at(0):
        t1 = world.ticket("contact", subject="T1")
        t2 = world.ticket("contact", subject="T2")
        t3 = world.ticket("contact", subject="T3")
        t4 = world.ticket("contact", subject="T4")
        world.ticket("employee", subject="Internal", provider=world.it.party)
    with at(5):
        t4_it = chain_actions.hand_off(
            agent, t4, provider=world.it.party, subject="T4 for IT", note="Check the switch"
        )
    with at(10):
        t2_it = chain_actions.hand_off(
            agent, t2, provider=world.it.party, subject="T2 for IT", note="Reset the VPN"
        )
        t4_vendor = chain_actions.hand_off(
            it, t4_it, provider=world.vendor.party, subject="T4 part", note="Replace the PSU"
        )
    with at(20):
        t3_vendor = chain_actions.hand_off(
            agent, t3, provider=world.vendor.party, subject="T3 printer", note="Send a technician"
        )
    with at(70):
        solve(it, t2_it)
    with at(100):
        solve(agent, t1)
    with at(120):
        actions.reply(world.contact, t1, body="It is broken again.")
    with at(150):
        solve(agent, t1)
    with at(200):
        solve(agent, t2)
    with at(260):
        solve(vendor, t4_vendor)
    with at(280):
        solve(it, t4_it)
    with at(300):
        solve(agent, t4)
    with at(320):
        solve(vendor, t3_vendor)
    with at(700):
        solve(agent, t3)
    for t in (t1, t2, t3, t4):
        t.refresh_from_db()
    return Chain(sla=sla, ola=ola, uc=uc, t1=t1, t2=t2, t3=t3, t4=t4)
