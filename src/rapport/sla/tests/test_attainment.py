"""Attainment: achieved / (achieved + breached), breached whether running or not."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.core.errors import PermissionDenied
from rapport.directory.queries import scope_for
from rapport.sla.queries import attainment
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def urgent(world: World, subject: str = "Down") -> Ticket:
    return actions.create_ticket(
        world.agent, requester=world.contact, subject=subject, body="Help",
        provider=world.support.party, priority=Priority.URGENT,
    )  # fmt: skip


@pytest.fixture
def history(world: World) -> World:
    solved = actions.default_status(StatusCategory.SOLVED)
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        quick, late, silent = urgent(world), urgent(world), urgent(world)
        waiting = world.ticket("contact")  # normal: 4 h to first response
        merged = urgent(world)
        actions.assign(world.agent, quick, world.agent)
    with clock.travel_to(at(2026, 3, 10, 10, 10)):
        actions.reply(world.agent, quick, body="On it")
    with clock.travel_to(at(2026, 3, 10, 10, 15)):
        actions.merge(world.agent, merged, waiting)
    with clock.travel_to(at(2026, 3, 10, 10, 45)):
        actions.reply(world.agent, late, body="Sorry")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        actions.set_status(world.agent, quick, solved)
    del silent  # no answer at all: overdue since 10:30, not swept yet
    return world


def run(world: World, role: str = "manager", **filters: int) -> dict[str, object]:
    result = attainment(
        scope_for(world.people[role]), since=at(2026, 3, 1), until=at(2026, 4, 1),
        now=at(2026, 3, 10, 11, 0), **filters,
    )  # fmt: skip
    fr, res = result.clocks["first_response"], result.clocks["resolution"]
    return {
        "fr": (fr.achieved, fr.breached, fr.pending, fr.rate),
        "res": (res.achieved, res.breached, res.pending, res.rate),
        "fr_median": result.first_response_median_minutes,
        "fr_p90": result.first_response_p90_minutes,
        "res_median": result.resolution_median_minutes,
    }


def test_the_rule_counts_running_overdue_clocks_as_breached(history: World) -> None:
    got = run(history)
    # quick answered in 10 min; late in 45 (> 30); silent overdue; waiting within 4 h.
    assert got["fr"] == (1, 2, 1, 0.3333)
    # quick solved in an hour; the others still have time; the merged one is not counted.
    assert got["res"] == (1, 0, 3, 1.0)
    assert got["fr_median"] == 27.5
    assert got["fr_p90"] == 41.5
    assert got["res_median"] == 60.0


def test_filters_by_agent_team_provider_and_agreement(history: World) -> None:
    w = history
    assert run(w, agent=w.agent.pk)["fr"] == (1, 0, 0, 1.0)
    assert run(w, team=w.support.pk)["fr"] == (1, 2, 1, 0.3333)
    assert run(w, provider=w.vendor.party_id)["fr"] == (0, 0, 0, None)
    assert run(w, agreement=w.other_sla.pk)["fr"] == (0, 0, 0, None)


def test_a_period_before_the_tickets_counts_nothing(history: World) -> None:
    result = attainment(
        scope_for(history.manager), since=at(2026, 2, 1), until=at(2026, 3, 1),
        now=at(2026, 3, 10, 11, 0),
    )  # fmt: skip
    assert result.total.achieved == result.total.breached == 0
    assert result.first_response_median_minutes is None


def test_staff_count_only_what_they_serve_and_clients_not_at_all(history: World) -> None:
    assert run(history, "agent")["fr"] == (1, 2, 1, 0.3333)
    assert run(history, "other_agent")["fr"] == (0, 0, 0, None)  # IT, not Support
    with pytest.raises(PermissionDenied):
        run(history, "contact")
