"""Permission matrix of the training routes (people app), run with the machinery of
tests/test_permission_matrix.py.

The rules: scenarios are for staff; candidates and their scores only for the panel,
admins and managers; an assessor sees another's scores only once all have submitted;
agents see their own training, leads their team's, admins and managers everyone's.
In the matrix world the lead leads Customer Support, where the agent works; the other
agent is in IT.
"""

from __future__ import annotations

from typing import Any

import pytest

from rapport.core.choices import StatusCategory
from rapport.people.actions import training
from rapport.people.models import Assignment
from rapport.testing import ROLES
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Status
from test_permission_matrix import Case, outcomes, run_operation

STAFF = ("admin", "manager", "agent", "lead", "other_agent")
PANEL = ("admin", "manager", "agent", "lead")
AUTHORS = ("admin", "manager", "lead")


def world(ctx: Any) -> None:
    """A scenario, a candidate whose panel (lead, agent) has scored and been revealed, a
    practice of the agent with the lead still scoring, and a session assigned to the
    agent."""
    w = ctx.world
    p = w.people
    s = training.create_scenario(
        p["manager"], title="Missing parcel", channel="phone", persona_name="Mrs Doe",
        persona_situation="Parcel late", persona_wants="Refund", temperament="red",
        steps=[{"line": "Where is my parcel?"}],
    )  # fmt: skip
    dims = list(s.rubric.categories.values_list("pk", flat=True))
    candidate = training.add_candidate(p["manager"], full_name="Ada Lovelace")
    hiring = training.start_assessment(p["manager"], s, candidate=candidate,
                                       assessors=[p["lead"], p["agent"]])  # fmt: skip
    for who in ("lead", "agent"):
        training.score(p[who], hiring, dict.fromkeys(dims, 4))
        training.submit(p[who], hiring)
    practice = training.start_assessment(p["lead"], s, trainee=p["agent"], assessors=[p["lead"]])
    training.score(p["lead"], practice, dict.fromkeys(dims, 3))
    plan = training.create_plan(
        p["manager"],
        name="Basics",
        kind="recurring",
        team=w.support,
        items=[{"kind": "session", "title": "Shadow", "due_days": 3}],
    )
    training.assign_plan(p["manager"], plan, [p["agent"]])
    solved = Status.objects.filter(category=StatusCategory.SOLVED).first()
    ticket_actions.set_status(p["agent"], ctx.tickets["contact"], solved)
    ctx.training = {  # type: ignore[attr-defined]
        "scenario": s.pk, "candidate": candidate.pk, "hiring": hiring.pk,
        "practice": practice.pk, "plan": plan.pk, "dims": dims,
        "assignment": Assignment.objects.get(person=p["agent"]).pk,
    }  # fmt: skip


def t(ctx: Any, key: str) -> Any:
    return ctx.training[key]


def check_candidates(role: str, body: Any, ctx: Any) -> None:
    expected = 0 if role == "other_agent" else 1
    assert len(body["items"]) == expected, body


def check_assignments(role: str, body: Any, ctx: Any) -> None:
    expected = 1 if role in ("admin", "manager", "agent", "lead") else 0
    assert len(body["items"]) == expected, body


def check_revealed(role: str, body: Any, ctx: Any) -> None:
    assert all(seat["levels"] for seat in body["seats"]), body["seats"]


SCENARIO = {
    "title": "Angry caller", "channel": "phone", "persona_name": "Mr Grant",
    "persona_situation": "Late parcel", "persona_wants": "A date", "temperament": "red",
    "steps": [{"line": "Where is it?"}],
}  # fmt: skip

MATRIX: dict[str, list[Case]] = {
    "GET /api/v1/scenarios": [
        Case(lambda c, x: c.get("/api/v1/scenarios"), outcomes((200, STAFF)), prepare=world)],
    "POST /api/v1/scenarios": [
        Case(lambda c, x: c.post_json("/api/v1/scenarios", SCENARIO),
             outcomes((201, AUTHORS), (403, ("agent", "other_agent"))))],
    "GET /api/v1/scenarios/{scenario_id}": [
        Case(lambda c, x: c.get(f"/api/v1/scenarios/{t(x, 'scenario')}"),
             outcomes((200, STAFF)), prepare=world)],
    "POST /api/v1/scenarios/from-ticket": [
        Case(lambda c, x: c.post_json("/api/v1/scenarios/from-ticket",
                                      {"ticket": x.n("contact")}),
             outcomes((201, ("admin",)), (403, ("manager", "agent", "lead"))), prepare=world)],
    "GET /api/v1/candidates": [
        Case(lambda c, x: c.get("/api/v1/candidates"), outcomes((200, STAFF)),
             check_candidates, prepare=world)],
    "POST /api/v1/candidates": [
        Case(lambda c, x: c.post_json("/api/v1/candidates", {"full_name": "Grace Hopper"}),
             outcomes((201, ("admin", "manager")), (403, ("agent", "lead", "other_agent"))))],
    "GET /api/v1/candidates/{candidate_id}": [
        Case(lambda c, x: c.get(f"/api/v1/candidates/{t(x, 'candidate')}"),
             outcomes((200, PANEL)), prepare=world)],
    "POST /api/v1/candidates/{candidate_id}/decision": [
        Case(lambda c, x: c.post_json(f"/api/v1/candidates/{t(x, 'candidate')}/decision",
                                      {"outcome": "hire", "reasons": "Warm and quick"}),
             outcomes((201, PANEL)), prepare=world)],
    "GET /api/v1/assessments": [
        Case(lambda c, x: c.get("/api/v1/assessments"), outcomes((200, STAFF)), prepare=world)],
    "POST /api/v1/assessments": [
        Case(lambda c, x: c.post_json("/api/v1/assessments", {
            "scenario": t(x, "scenario"), "trainee": x.pid("agent"),
            "assessors": [x.pid("lead")]}),
             outcomes((201, AUTHORS), (403, ("agent",))), prepare=world)],
    "GET /api/v1/assessments/{assessment_id}": [
        Case(lambda c, x: c.get(f"/api/v1/assessments/{t(x, 'hiring')}"),
             outcomes((200, PANEL)), check_revealed, prepare=world)],
    "POST /api/v1/assessments/{assessment_id}/scores": [
        Case(lambda c, x: c.post_json(f"/api/v1/assessments/{t(x, 'practice')}/scores",
                                      {"levels": {str(t(x, "dims")[0]): 5}}),
             outcomes((200, ("lead",))), prepare=world)],
    "POST /api/v1/assessments/{assessment_id}/submit": [
        Case(lambda c, x: c.post(f"/api/v1/assessments/{t(x, 'practice')}/submit"),
             outcomes((200, ("lead",))), prepare=world)],
    "POST /api/v1/assessments/{assessment_id}/feedback": [
        Case(lambda c, x: c.post_json(f"/api/v1/assessments/{t(x, 'hiring')}/feedback",
                                      {"feedback": "Use the customer's name."}),
             outcomes((200, PANEL)), prepare=world)],
    "GET /api/v1/training/plans": [
        Case(lambda c, x: c.get("/api/v1/training/plans"), outcomes((200, STAFF)),
             prepare=world)],
    "POST /api/v1/training/plans": [
        Case(lambda c, x: c.post_json("/api/v1/training/plans", {
            "name": "Refunds", "kind": "recurring", "team": x.world.support.pk,
            "items": [{"kind": "session", "title": "Workshop"}]}),
             outcomes((201, AUTHORS), (403, ("agent", "other_agent"))))],
    "POST /api/v1/training/plans/{plan_id}/assign": [
        Case(lambda c, x: c.post_json(f"/api/v1/training/plans/{t(x, 'plan')}/assign",
                                      {"people": [x.pid("agent")]}),
             outcomes((200, AUTHORS), (403, ("agent", "other_agent"))), prepare=world)],
    "GET /api/v1/training/assignments": [
        Case(lambda c, x: c.get("/api/v1/training/assignments"), outcomes((200, ROLES)),
             check_assignments, prepare=world)],
    "POST /api/v1/training/assignments/{assignment_id}/acknowledge": [
        Case(lambda c, x: c.post_json(
            f"/api/v1/training/assignments/{t(x, 'assignment')}/acknowledge", {}),
             outcomes((409, ("agent",)), (403, AUTHORS)), prepare=world)],
    "POST /api/v1/training/assignments/{assignment_id}/attended": [
        Case(lambda c, x: c.post_json(
            f"/api/v1/training/assignments/{t(x, 'assignment')}/attended", {"note": "ok"}),
             outcomes((200, AUTHORS), (403, ("agent",))), prepare=world)],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
