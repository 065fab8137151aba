"""The assignment engine: every trigger assigns exactly once, recertification falls due
on the right day, reminders go out, and evidence completes an assignment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.core import clock
from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory import actions as directory
from rapport.notifications.models import Notification
from rapport.people.actions import training
from rapport.people.models import Assignment, Trigger
from rapport.people.tests.training_world import scenario
from rapport.policies import actions as policy_actions
from rapport.testing import PASSWORD, World, build_world
from rapport.tickets import events
from rapport.tickets.testing import drain_reactions

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _document(world: World, *, must_read: bool = False):  # type: ignore[no-untyped-def]
    p = world.people
    doc = policy_actions.create_document(
        p["manager"], kind="article", title="Refunds", body="# Refunds\n\nHow to refund.",
        owner=p["manager"], team=world.support,
    )  # fmt: skip
    policy_actions.publish(p["manager"], doc.versions.get(), must_read=must_read)
    doc.refresh_from_db()
    return doc


def _plan(world: World, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("kind", "onboarding")
    return training.create_plan(
        world.people["manager"], name="Support onboarding", team=world.support, items=[
            {"kind": "document", "document": _document(world), "due_days": 3},
            {"kind": "scenario", "scenario": scenario(world), "due_days": 10},
            {"kind": "session", "title": "Shadow a senior agent", "due_days": 5},
        ], **kw,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_new_team_member_gets_the_onboarding_plan_once() -> None:
    world = build_world()
    plan = _plan(world)
    # People join on the real clock (date_joined), after the plan was made.
    newcomer = directory.create_person(
        None, username="newbie", email="newbie@example.com", staff_role="agent",
        password=PASSWORD,
    )  # fmt: skip
    directory.add_team_member(None, world.support, newcomer)
    assert training.sweep()["onboarding"] == 3
    assert training.sweep()["onboarding"] == 0
    rows = Assignment.objects.filter(person=newcomer, trigger=Trigger.ONBOARDING)
    assert rows.count() == 3
    start = newcomer.date_joined
    assert sorted(r.due_at - start for r in rows) == [timedelta(days=d) for d in (3, 5, 10)]
    # Members from before the plan are not onboarded again.
    assert not Assignment.objects.filter(plan=plan).exclude(person=newcomer).exists()


@pytest.mark.django_db
def test_assigning_a_plan_twice_assigns_once_and_only_to_staff() -> None:
    world = build_world()
    plan = _plan(world, kind="recurring")
    p = world.people
    assert training.assign_plan(p["lead"], plan, [p["agent"]]) == 3
    assert training.assign_plan(p["lead"], plan, [p["agent"]]) == 0
    with pytest.raises(Invalid):
        training.assign_plan(p["manager"], plan, [p["contact"]])
    with pytest.raises(PermissionDenied):
        training.assign_plan(p["agent"], plan, [p["agent"]])


@pytest.mark.django_db
def test_a_must_read_version_links_each_read_task_once_and_completes_with_it() -> None:
    world = build_world()
    doc = _document(world, must_read=True)
    created = training.sweep()["must_read"]
    staff = Assignment.objects.filter(trigger=Trigger.MUST_READ)
    assert created == staff.count() >= 5
    assert training.sweep()["must_read"] == 0
    agent = world.people["agent"]
    policy_actions.acknowledge(agent, doc.published)
    training.sweep()
    mine = staff.get(person=agent)
    assert mine.completed_at is not None and mine.evidence == "acknowledged"
    # Acknowledged from the training page, the read task is acknowledged too.
    lead_row = staff.get(person=world.people["lead"])
    training.acknowledge(world.people["lead"], lead_row)
    assert doc.published.read_tasks.get(person=world.people["lead"]).acknowledged_at


@pytest.mark.django_db
def test_a_corrective_action_with_cause_training_assigns_once_per_person() -> None:
    world = build_world()
    ticket = world.ticket()
    data = {"action": 7, "cause": "training", "people": [world.people["agent"].pk],
            "team": None, "document": None, "due": "2030-01-15"}  # fmt: skip
    events.append(ticket, None, "corrective_action", **data)
    events.append(ticket, None, "corrective_action", **{**data, "cause": "policy", "action": 8})
    drain_reactions()
    training.on_corrective_action(data)  # run again: still one
    rows = Assignment.objects.filter(trigger=Trigger.CORRECTIVE)
    assert [(r.person_id, r.trigger_key, r.kind) for r in rows] == [
        (world.people["agent"].pk, "corrective:7", "session")]  # fmt: skip
    assert rows[0].due_at.date().isoformat() == "2030-01-15"
    # A team named instead of people: every member; personnel: a reassessment.
    training.on_corrective_action({"action": 9, "cause": "personnel", "team": world.support.pk})
    team_rows = Assignment.objects.filter(trigger_key="corrective:9")
    assert team_rows.count() == 2 and {r.kind for r in team_rows} == {"scenario"}


@pytest.mark.django_db
def test_a_quality_category_below_threshold_assigns_once() -> None:
    world = build_world()
    agent = world.people["agent"]
    kw = {"review": 3, "person": agent, "category": 11, "category_name": "Empathy",
          "threshold": 70.0}  # fmt: skip
    assert training.assign_for_quality(score=80.0, **kw) is None
    first = training.assign_for_quality(score=40.0, **kw)
    again = training.assign_for_quality(score=40.0, **kw)
    assert first is not None and again is not None and first.pk == again.pk
    assert Assignment.objects.filter(trigger=Trigger.QUALITY).count() == 1


@pytest.mark.django_db
def test_recertification_falls_due_on_the_day_the_completion_lapses() -> None:
    world = build_world()
    p = world.people
    with clock.travel_to(T0):
        plan = _plan(world, kind="recurring", recertify_days=30)
        training.assign_plan(p["manager"], plan, [p["agent"]])
        session = Assignment.objects.get(person=p["agent"], kind="session")
        training.mark_attended(p["lead"], session, "Sat with Sofia all morning")
    with clock.travel_to(T0 + timedelta(days=30) - timedelta(seconds=1)):
        assert training.sweep()["recertification"] == 0
    with clock.travel_to(T0 + timedelta(days=30)):
        assert training.sweep()["recertification"] == 1
        assert training.sweep()["recertification"] == 0
    renewed = Assignment.objects.get(trigger=Trigger.RECERTIFICATION)
    assert (renewed.person_id, renewed.title, renewed.due_at) == (
        p["agent"].pk, "Shadow a senior agent", T0 + timedelta(days=30))  # fmt: skip
    assert renewed.completed_at is None


@pytest.mark.django_db
def test_reminders_go_out_in_the_app_before_the_due_date_and_once_a_day() -> None:
    world = build_world()
    p = world.people
    with clock.travel_to(T0):
        plan = _plan(world, kind="recurring")
        training.assign_plan(p["manager"], plan, [p["agent"]])
    with clock.travel_to(T0 + timedelta(days=2)):
        assert training.sweep()["reminded"] == 1  # the document, due on day 3
        assert training.sweep()["reminded"] == 0
    texts = list(Notification.objects.filter(recipient=p["agent"]).values_list("text", flat=True))
    assert texts == ["Training: Refunds is due on 05 Mar 2026."]


@pytest.mark.django_db
def test_a_practice_at_the_pass_mark_completes_the_scenario_assignment() -> None:
    world = build_world()
    p = world.people
    plan = _plan(world, kind="recurring")
    training.assign_plan(p["manager"], plan, [p["agent"]])
    row = Assignment.objects.get(person=p["agent"], kind="scenario")
    a = training.start_assessment(
        p["lead"], row.scenario, trainee=p["agent"], assessors=[p["lead"]]
    )
    ids = list(a.scenario.rubric.categories.values_list("pk", flat=True))
    training.score(p["lead"], a, dict.fromkeys(ids, 3))
    training.submit(p["lead"], a)
    row.refresh_from_db()
    assert (row.evidence, row.assessment_id) == ("score", a.pk)
    with pytest.raises(PermissionDenied):
        training.start_assessment(p["other_agent"], row.scenario, trainee=p["agent"],
                                  assessors=[p["other_agent"]])  # fmt: skip
    with pytest.raises(PermissionDenied):
        training.mark_attended(
            p["agent"], Assignment.objects.get(person=p["agent"], kind="session")
        )
