"""Hiring assessments: a panel of two or more, blind until all submit, the reveal with
agreement, a second attempt after feedback, the decision, and the pre-hire exam."""

from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, Invalid, NotFound
from rapport.directory.queries import scope_for
from rapport.people import training_queries as queries
from rapport.people.actions import training
from rapport.people.models import Candidate, Stage
from rapport.people.tests.training_world import scenario
from rapport.testing import World, build_world


def _levels(assessment, values: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
    ids = list(assessment.scenario.rubric.categories.values_list("pk", flat=True))
    return dict(zip(ids, values, strict=True))


def _hiring(world: World):  # type: ignore[no-untyped-def]
    p = world.people
    candidate = training.add_candidate(
        p["manager"], full_name="Ada Lovelace", email="ada@x.example"
    )
    s = scenario(world)
    a = training.start_assessment(
        p["manager"], s, candidate=candidate, assessors=[p["lead"], p["agent"]]
    )
    return candidate, a


@pytest.mark.django_db
def test_a_panel_has_two_assessors_at_least() -> None:
    world = build_world()
    p = world.people
    candidate = training.add_candidate(p["manager"], full_name="Ada Lovelace")
    with pytest.raises(Invalid):
        training.start_assessment(
            p["manager"], scenario(world), candidate=candidate, assessors=[p["lead"], p["lead"]]
        )


@pytest.mark.django_db
def test_scores_are_blind_until_every_assessor_submits() -> None:
    world = build_world()
    p = world.people
    candidate, a = _hiring(world)
    training.score(p["lead"], a, _levels(a, [4, 3, 4, 2]))
    training.submit(p["lead"], a)
    # The other assessor, before submitting, sees no one's scores but their own.
    view = queries.panel(scope_for(p["agent"]), a)
    assert [(v.is_mine, v.hidden, v.levels) for v in view.seats] == [
        (False, True, {}), (True, False, {})]  # fmt: skip
    training.score(p["agent"], a, _levels(a, [4, 4, 2, 2]))
    view = queries.panel(scope_for(p["lead"]), a)
    assert not view.revealed and view.seats[1].levels == {}
    training.submit(p["agent"], a)
    a.refresh_from_db()
    view = queries.panel(scope_for(p["lead"]), a)
    assert view.revealed and all(len(v.levels) == 4 for v in view.seats)
    # Levels 4/4, 3/4, 4/2, 2/2: three of four within one level.
    assert view.agreement == 0.75
    assert candidate.pk in set(
        queries.candidates(scope_for(p["agent"])).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_submitting_needs_every_dimension_and_then_freezes() -> None:
    world = build_world()
    p = world.people
    _, a = _hiring(world)
    training.score(p["lead"], a, dict(list(_levels(a, [3, 3, 3, 3]).items())[:2]))
    with pytest.raises(Invalid):
        training.submit(p["lead"], a)
    training.score(p["lead"], a, _levels(a, [3, 3, 3, 3]))
    training.submit(p["lead"], a)
    with pytest.raises(Conflict):
        training.score(p["lead"], a, _levels(a, [5, 5, 5, 5]))
    with pytest.raises(NotFound):
        training.score(p["other_agent"], a, _levels(a, [5, 5, 5, 5]))


@pytest.mark.django_db
def test_trainability_is_measured_by_a_second_attempt_after_feedback() -> None:
    world = build_world()
    p = world.people
    candidate, first = _hiring(world)
    for who, values in (("lead", [2, 3, 2, 3]), ("agent", [2, 3, 2, 3])):
        training.score(p[who], first, _levels(first, values))
        training.submit(p[who], first)
    first.refresh_from_db()
    with pytest.raises(Conflict):
        training.start_assessment(p["manager"], first.scenario, candidate=candidate,
                                  assessors=[p["lead"], p["agent"]], previous=first)  # fmt: skip
    training.give_feedback(p["lead"], first, "Use the customer's name; find the order first.")
    first.refresh_from_db()
    second = training.start_assessment(
        p["manager"],
        first.scenario,
        candidate=candidate,
        assessors=[p["lead"], p["agent"]],
        previous=first,
    )
    assert second.attempt == 2
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SECOND
    for who, values in (("lead", [3, 4, 4, 3]), ("agent", [4, 3, 3, 4])):
        training.score(p[who], second, _levels(second, values))
        training.submit(p[who], second)
    second.refresh_from_db()
    view = queries.panel(scope_for(p["manager"]), second)
    assert (view.previous_mean, view.mean, view.trainability) == (2.5, 3.5, 1.0)
    assert queries.trainability_of(candidate) == 1.0


@pytest.mark.django_db
def test_the_decision_is_recorded_with_reasons_after_the_reveal() -> None:
    world = build_world()
    p = world.people
    candidate, a = _hiring(world)
    with pytest.raises(Conflict):
        training.decide(p["lead"], candidate, outcome="hire", reasons="Great")
    for who in ("lead", "agent"):
        training.score(p[who], a, _levels(a, [4, 4, 4, 4]))
        training.submit(p[who], a)
    with pytest.raises(NotFound):
        training.decide(p["other_agent"], candidate, outcome="hire", reasons="Great")
    with pytest.raises(Invalid):
        training.decide(p["lead"], candidate, outcome="hire", reasons="  ")
    decision = training.decide(p["lead"], candidate, outcome="hire", reasons="Calm and kind")
    assert decision.outcome == "hire"
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.DECIDED


@pytest.mark.django_db
def test_the_pre_hire_exam_scores_each_option_zero_to_ten() -> None:
    world = build_world()
    p = world.people
    candidate = training.add_candidate(p["manager"], full_name="Ada Lovelace")
    exam = training.create_exam(p["manager"], title="Service basics", questions=[
        {"text": "An angry caller swears. You…", "options": [
            {"text": "hang up", "score": 0}, {"text": "warn calmly", "score": 8},
            {"text": "acknowledge and refocus", "score": 10}]},
        {"text": "The refund is over your limit. You…", "options": [
            {"text": "refuse", "score": 2}, {"text": "ask your lead now", "score": 10}]},
    ])  # fmt: skip
    attempt = training.record_exam(p["manager"], exam, candidate, [1, 1])
    assert attempt.score == 90.0  # (8 + 10) / (10 + 10)
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.EXAM
    with pytest.raises(Invalid):
        training.create_exam(
            p["manager"],
            title="x",
            questions=[
                {"text": "q", "options": [{"text": "a", "score": 11}, {"text": "b", "score": 0}]}
            ],
        )


@pytest.mark.django_db
def test_candidates_are_only_for_the_panel_admins_and_managers() -> None:
    world = build_world()
    candidate, _ = _hiring(world)
    for role, sees in (("admin", True), ("manager", True), ("lead", True), ("agent", True),
                       ("other_agent", False), ("contact", False)):  # fmt: skip
        visible = queries.candidates(scope_for(world.people[role])).filter(pk=candidate.pk)
        assert visible.exists() is sees, role
