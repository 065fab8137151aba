"""A pass of the reactions reads the reference data's stamp once for all its
handlers' calls, and the next pass sees reference data changed in between."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.fast import reference
from rapport.testing import World
from rapport.tickets import actions, reactor
from rapport.tickets.models import Event, Ticket
from rapport.tickets.testing import drain_reactions

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[reference.Snapshot]]:
    """`test.snapshot` notes which snapshot each call of it saw."""
    seen: list[reference.Snapshot] = []  # kept alive, so no two share an id()

    def note(event: Event, ticket: Ticket) -> None:
        seen.append(reference.current())

    subscriber = reactor.Subscriber("test.snapshot", frozenset({"tagged"}), note)
    monkeypatch.setitem(reactor._subscribers, "test.snapshot", subscriber)
    yield seen


def _stamp_reads(queries: list[dict[str, str]]) -> int:
    return sum("core_referencestamp" in q["sql"] for q in queries)


def test_one_pass_shares_one_snapshot(world: World, snapshots: list[reference.Snapshot]) -> None:
    drain_reactions()
    for n in range(5):
        actions.tag(world.agent, world.ticket("contact", subject=f"Printer {n}"), ["printer"])
    with CaptureQueriesContext(connection) as ctx:
        drain_reactions()
    assert len(snapshots) == 5
    assert all(s is snapshots[0] for s in snapshots)
    assert _stamp_reads(ctx.captured_queries) <= 1


def test_each_pass_takes_a_new_snapshot(world: World, snapshots: list[reference.Snapshot]) -> None:
    drain_reactions()
    actions.tag(world.agent, world.ticket("contact"), ["printer"])
    drain_reactions()
    actions.tag(world.agent, world.ticket("contact"), ["printer"])
    drain_reactions()
    assert len(snapshots) == 2
    assert snapshots[0] is not snapshots[1]
