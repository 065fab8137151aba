"""The training pages render for who may see them, and the board's SQL count stays flat."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.directory import actions as directory
from rapport.people.actions import training
from rapport.people.models import Assessment
from rapport.people.tests.training_world import scenario
from rapport.testing import PASSWORD, World, build_world


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def _panel(world: World) -> Any:
    p = world.people
    candidate = training.add_candidate(p["manager"], full_name="Ada Lovelace")
    return training.start_assessment(
        p["manager"], scenario(world), candidate=candidate, assessors=[p["lead"], p["agent"]]
    )


@pytest.mark.django_db
def test_every_training_page_renders_for_a_manager() -> None:
    world = build_world()
    a = _panel(world)
    c = _client(world, "manager")
    for url in (
        reverse("people:home"), reverse("people:scenarios"), reverse("people:scenario-new"),
        reverse("people:scenario", args=[a.scenario_id]), reverse("people:candidates"),
        reverse("people:candidate", args=[a.candidate_id]),
        reverse("people:assessment", args=[a.pk]), reverse("people:training-board"),
        reverse("people:training-record", args=[world.people["agent"].pk]),
    ):  # fmt: skip
        assert c.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_run_page_hides_the_other_assessors_scores_until_all_submit() -> None:
    world = build_world()
    a = _panel(world)
    ids = list(a.scenario.rubric.categories.values_list("pk", flat=True))
    training.score(world.people["lead"], a, dict.fromkeys(ids, 5))
    training.submit(world.people["lead"], a)
    agent = _client(world, "agent")
    page = agent.get(reverse("people:assessment", args=[a.pk])).content.decode()
    assert "hidden" in page and ">5<" not in page
    run = agent.get(reverse("people:assessment-run", args=[a.pk]) + "?step=1")
    assert "So will you refund me or not?" in run.content.decode()
    form = {f"level-{i}": "3" for i in ids} | {"final": "1", "step": "1"}
    agent.post(reverse("people:assessment-run", args=[a.pk]), form)
    page = agent.get(reverse("people:assessment", args=[a.pk])).content.decode()
    assert ">5<" in page and "Agreement" in page
    # Off the panel: not found.
    assert _client(world, "other_agent").get(
        reverse("people:assessment", args=[a.pk])).status_code == 404  # fmt: skip


@pytest.mark.django_db
def test_the_team_board_takes_the_same_queries_for_ten_or_forty_members(
    django_assert_max_num_queries: Any,
) -> None:
    world = build_world()
    p = world.people
    plan = training.create_plan(
        p["manager"],
        name="Basics",
        kind="recurring",
        team=world.support,
        items=[{"kind": "session", "title": "Shadow", "due_days": 1}],
    )
    lead = _client(world, "lead")
    counts = []
    for size in (10, 40):
        for i in range(len(counts) * 10, size):
            person = directory.create_person(
                None,
                username=f"m{i}",
                staff_role="agent",
                email=f"m{i}@example.com",
                password=PASSWORD,
            )
            directory.add_team_member(None, world.support, person)
            training.assign_plan(None, plan, [person])
        with CaptureQueriesContext(connection) as ctx:
            assert lead.get(reverse("people:training-board")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        lead.get(reverse("people:training-board"))
    assert _client(world, "agent").get(reverse("people:training-board")).status_code == 404


@pytest.mark.django_db
def test_a_lead_starts_a_practice_from_the_record_page() -> None:
    world = build_world()
    s = scenario(world, purpose="training")
    lead = _client(world, "lead")
    agent = world.people["agent"]
    page = lead.get(reverse("people:training-record", args=[agent.pk])).content.decode()
    assert "Practise a scenario with Agent" in page
    response = lead.post(reverse("people:assessment-start"), {
        "scenario": s.pk, "trainee": agent.pk, "assessors": world.people["lead"].pk})  # fmt: skip
    assert response.status_code == 302
    practice = Assessment.objects.get(trainee=agent)
    assert response["Location"] == reverse("people:assessment", args=[practice.pk])
    # Not their lead: the record itself is not found.
    other = _client(world, "other_agent")
    assert other.get(reverse("people:training-record", args=[agent.pk])).status_code == 404
