"""Every scorecard figure against answers computed by hand (see the `march` fixture)."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.core.errors import PermissionDenied
from rapport.directory.queries import scope_for
from rapport.scorecards import engine
from rapport.scorecards.periods import period_containing
from rapport.scorecards.tests.conftest import utc
from rapport.sla.queries import attainment
from rapport.testing import World

MARCH = period_containing("month", date(2026, 3, 15))
NOW = utc(2026, 4, 5, 12)


def rows(world: World, dimension: str = "provider", role: str = "manager") -> dict[str, dict]:
    out = engine.scorecards(scope_for(world.people[role]), MARCH, dimension, now=NOW)
    return {r["name"]: r for r in out}


def test_provider_figures_for_march(march: World) -> None:
    support = rows(march)["Customer Support"]
    m = support["metrics"]
    assert (m["volume_in"], m["solved"]) == (3, 3)  # T1 T2 T3 in; T1 T2 T4 solved
    assert m["reopen_rate"] == 33.3  # T4 of the three solved
    assert (m["backlog"], m["backlog_over_7_days"]) == (1, 1)  # T3
    assert m["backlog_oldest_days"] == 19.6  # 12 Mar 09:00 → 1 Apr 00:00
    # First response: T1 achieved; T2 late; T3 overdue and never answered.
    assert m["first_response_attainment"] == 33.3
    # Resolution: T1 and T2 within 2400 min; T3 overdue (T4's clock began in Feb).
    assert m["resolution_attainment"] == 66.7
    assert (m["first_response_median_minutes"], m["first_response_p90_minutes"]) == (270, 438)
    assert (m["resolution_median_minutes"], m["resolution_p90_minutes"]) == (360, 504)
    assert (m["csat"], m["nps"], m["ces"]) == (50.0, 0.0, 7.0)
    assert (m["survey_response_rate"], m["surveys_answered"]) == (100.0, 2)
    assert support["watermelon"] is False


def test_attainment_is_the_sla_engines(march: World) -> None:
    m = rows(march)["Customer Support"]["metrics"]
    sla = attainment(scope_for(march.manager), since=MARCH.since, until=MARCH.until, now=NOW,
                     provider=march.support.party_id)  # fmt: skip
    fr, res = sla.clocks["first_response"], sla.clocks["resolution"]
    assert m["first_response_attainment"] == round(100 * fr.rate, 1)  # type: ignore[operator]
    assert m["resolution_attainment"] == round(100 * res.rate, 1)  # type: ignore[operator]
    assert m["first_response_median_minutes"] == sla.first_response_median_minutes
    assert m["resolution_p90_minutes"] == sla.resolution_p90_minutes


def test_previous_period_and_trend(march: World) -> None:
    support = rows(march)["Customer Support"]
    before = support["previous"]
    assert before["volume_in"] == 1  # T4 in February
    assert before["solved"] == 0  # its solve moved to March when it was reopened
    assert before["csat"] is None  # nobody answered T4's survey…
    assert before["survey_response_rate"] == 0.0  # …which did go out (on 12 March)
    assert support["trend"]["volume_in"] == 2
    assert support["trend"]["csat"] is None  # N/A before: no trend


def test_agents_are_credited_with_their_own_work(march: World) -> None:
    by_agent = rows(march, "agent")
    agent, lead = by_agent["Agent"]["metrics"], by_agent["Lead"]["metrics"]
    assert (agent["volume_in"], agent["first_response_attainment"], agent["csat"]) == (
        1,
        100.0,
        100.0,
    )
    assert (lead["volume_in"], lead["first_response_attainment"], lead["csat"]) == (1, 0.0, 0.0)
    assert lead["nps"] == -100.0 and lead["ces"] is None


def test_agreement_rows(march: World) -> None:
    assert rows(march, "agreement")["Globex support"]["metrics"]["solved"] == 3


def test_an_empty_period_is_not_available(march: World) -> None:
    january = period_containing("month", date(2026, 1, 5))
    assert engine.scorecards(scope_for(march.manager), january, now=NOW) == []
    empty = engine.metrics_of(engine.Bucket(), january.until)
    assert empty["volume_in"] == 0
    for name in (
        "first_response_attainment",
        "csat",
        "nps",
        "ces",
        "reopen_rate",
        "survey_response_rate",
        "backlog_oldest_days",
        "resolution_median_minutes",
    ):
        assert empty[name] is None, name


def test_watermelon_green_attainment_red_satisfaction() -> None:
    green = {"first_response_attainment": 95.0, "resolution_attainment": 92.0}
    assert engine.is_watermelon({**green, "csat": 60.0, "nps": 10.0})
    assert engine.is_watermelon({**green, "csat": None, "nps": -5.0})
    assert not engine.is_watermelon({**green, "csat": 85.0, "nps": 20.0})
    assert not engine.is_watermelon({**green, "csat": None, "nps": None})
    red = {"first_response_attainment": 95.0, "resolution_attainment": 60.0}
    assert not engine.is_watermelon({**red, "csat": 10.0, "nps": -50.0})


def test_scope(march: World) -> None:
    assert set(rows(march, role="agent")) == {"Customer Support"}
    assert rows(march, role="other_agent") == {}
    with pytest.raises(PermissionDenied):
        rows(march, role="contact")


def test_rolled_up_days_give_the_same_figures(march: World) -> None:
    from datetime import timedelta

    from rapport.scorecards import rollups

    live = engine.scorecards_all(scope_for(march.manager), MARCH, now=NOW)
    days = [date(2026, 2, 1) + timedelta(days=n) for n in range(59)]
    assert rollups.roll_up(days, now=NOW) > 0
    rollups.snapshot_backlog(date(2026, 3, 1))
    rollups.snapshot_backlog(date(2026, 4, 1))
    rolled = engine.scorecards_all(scope_for(march.manager), MARCH, now=NOW)
    assert rolled == live
    # Half a month rolled up, the rest read live: still the same.
    from rapport.scorecards.models import RolledUpDay

    RolledUpDay.objects.filter(day__gte=date(2026, 3, 11)).delete()
    assert engine.scorecards_all(scope_for(march.manager), MARCH, now=NOW) == live
