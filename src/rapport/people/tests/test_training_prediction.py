"""The prediction report: hidden below ten hires, Pearson's r per dimension above."""

from __future__ import annotations

import statistics

import pytest

from rapport.core.errors import NotFound
from rapport.directory.queries import scope_for
from rapport.people import training_prediction as prediction
from rapport.people.actions import training
from rapport.testing import build_world


def _rows(n: int) -> list[dict[str, object]]:
    # Friendlier hires get better CSAT; reopen rate is unrelated noise.
    return [{"candidate": None, "scores": {"Friendly": 1 + i % 5, "Competent": 3},
             "csat": 50 + 10 * (i % 5) + (i % 2), "reopen_rate": (i * 7) % 11}
            for i in range(n)]  # fmt: skip


def test_hidden_while_fewer_than_ten_hires_have_both() -> None:
    assert prediction.report(_rows(9)) == {"hidden": True, "hires": 9, "needed": 10, "rows": []}


def test_pearson_r_per_dimension_and_outcome() -> None:
    rows = _rows(10)
    result = prediction.report(rows)
    friendly = next(r for r in result["rows"] if r["dimension"] == "Friendly")
    expected = statistics.correlation(
        [r["scores"]["Friendly"] for r in rows],  # type: ignore[index]
        [r["csat"] for r in rows],
    )  # type: ignore[misc]
    assert friendly["csat"] == round(expected, 2) and friendly["csat"] > 0.9
    competent = next(r for r in result["rows"] if r["dimension"] == "Competent")
    assert competent["csat"] is None  # every hire scored 3: no variation, no r


@pytest.mark.django_db
def test_only_admins_and_managers_see_it_and_a_hire_counts_once_it_has_figures() -> None:
    world = build_world()
    p = world.people
    with pytest.raises(NotFound):
        prediction.prediction(scope_for(p["lead"]))
    candidate = training.add_candidate(p["manager"], full_name="Ada")
    training.record_hire(p["manager"], candidate, p["other_agent"])
    assert prediction.prediction(scope_for(p["manager"]))["hidden"] is True
    assert prediction.hire_rows()[0]["csat"] is None
