"""Every ticket of a chain knows the customer's ticket at its head (`chain_root`),
whichever way it was handed off and however deep; the migration gives it to
hand-offs made before the column existed."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.db import connection

from rapport.chain import actions as chain_actions
from rapport.chain.analytics import chain_analytics
from rapport.chain.tests.chainworld import T0, at, build_chain
from rapport.directory.queries import scope_for
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

SINCE, UNTIL, NOW = T0 - timedelta(days=1), T0 + timedelta(days=1), T0 + timedelta(days=1)


def _roots() -> dict[int, int | None]:
    return dict(Ticket.objects.values_list("pk", "chain_root_id"))


def test_each_link_of_a_chain_keeps_its_head(world: World) -> None:
    parent = world.ticket("contact", subject="Printer on fire")
    it = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="Power", note="Check the socket"
    )
    vendor = chain_actions.hand_off(
        world.other_agent, it, provider=world.vendor.party, subject="PSU", note="Replace it"
    )
    # A child raised directly with a parent (API or import), without a hand-off record.
    direct = actions.create_ticket(
        world.agent, subject="Toner", body="Order toner", provider=world.it.party, parent=parent
    )
    roots = _roots()
    assert roots[parent.pk] is None
    assert roots[it.pk] == roots[vendor.pk] == roots[direct.pk] == parent.pk


def test_a_third_level_counts_for_the_customers_ticket(world: World) -> None:
    build_chain(world)
    with at(800):
        t5 = world.ticket("contact", subject="T5")
    with at(801):
        it = chain_actions.hand_off(
            world.agent, t5, provider=world.it.party, subject="T5 for IT", note="Network?"
        )
    with at(802):  # IT asks Customer Support's desk, which asks PrintCo: three levels.
        desk = chain_actions.hand_off(
            world.other_agent, it, provider=world.support.party, subject="T5 desk",
            note="Which model?",
        )  # fmt: skip
    with at(803):
        cable = chain_actions.hand_off(
            world.agent, desk, provider=world.vendor.party, subject="T5 cable", note="A cable"
        )
    assert it.chain_root_id == desk.chain_root_id == cable.chain_root_id == t5.pk
    result = chain_analytics(scope_for(world.manager), since=SINCE, until=UNTIL, now=NOW)
    links = {(link.provider_name, link.front): link for link in result.links}
    # The new links are open at NOW: tickets of T5's chain, not yet measured.
    handed = {name: (link.tickets, link.measured) for (name, front), link in links.items()
              if not front}  # fmt: skip
    assert handed == {"PrintCo": (3, 2), "IT Service Desk": (3, 2), "Customer Support": (1, 0)}
    assert result.external_tickets == 5
    # T5's SLA (600 from 800) ran out at 1400, after IT's OLA (120 from 801) at 921.
    assert result.outcomes["handoff_breached"].tickets == 3
    assert (result.sla_breached, result.sla_breached_after_handoff_breach) == (2, 2)


def test_the_migration_gives_older_hand_offs_their_head(world: World) -> None:
    chain = build_chain(world)
    expected = _roots()
    assert sum(1 for root in expected.values() if root is not None) == 4
    assert {expected[t.pk] for t in Ticket.objects.filter(subject__startswith="T4 ")} == {
        chain.t4.pk
    }
    Ticket.objects.update(chain_root=None)
    migration = importlib.import_module("rapport.tickets.migrations.0009_ticket_chain_root")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert _roots() == expected
