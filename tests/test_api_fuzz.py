"""Schemathesis fuzzes every operation of the API, as an admin and as a customer contact.

Whatever comes in — valid requests, requests that break the schema, ids that exist and
ids that do not — the answer is never a 5xx, and every error is an
`application/problem+json` document that says what went wrong. Successful answers
match the response schema of the contract.

Requests go in-process to the WSGI application on the test database. Each example
runs in a savepoint that is rolled back, so every example meets the same world, and
generation is derandomised, so a failure reproduces on the next run.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from rapport.accounts import actions as accounts
from rapport.api.management.commands.openapi import openapi_document
from rapport.notifications.actions import notify
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.wsgi import application

PROBLEM = "application/problem+json"
ROLES = ("admin", "contact")
EXAMPLES = 25

SCHEMA = schemathesis.openapi.from_dict(json.loads(openapi_document()))
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """Serve requests in this thread, on the test transaction.

    A WSGI server closes the database connection after each request; here that would
    end the test's transaction, so (like Django's test client) don't.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _failed_reaction() -> int:
    """A reaction that failed on the world's tag event (its handler gone since)."""
    from rapport.tickets import reactor
    from rapport.tickets.models import PendingReaction
    from rapport.tickets.testing import drain_reactions

    def broken(event: Any, ticket: Any) -> None:
        raise RuntimeError("the service is down")

    name = "fuzz.broken"
    reactor._subscribers[name] = reactor.Subscriber(name, frozenset({"tagged"}), broken)
    try:
        drain_reactions()
    finally:
        del reactor._subscribers[name]
    # The world's tag events each fail once; any of them names a parked reaction.
    failed = PendingReaction.objects.filter(subscriber=name).order_by("pk").first()
    assert failed is not None
    return failed.pk


def real_ids(world: World, role: str) -> dict[str, Any]:
    """Path parameters naming objects that exist, so fuzzing reaches past the 404."""
    person = world.people[role]
    ticket = world.ticket("contact")
    ticket_actions.tag(world.agent, ticket, ["vip"])
    attachment = ticket_actions.upload(
        world.agent, stream=io.BytesIO(b"manual"), filename="manual.txt", size=6
    )
    ticket_actions.reply(
        world.agent, ticket, body="Manual attached.", attachments=[attachment.token.hex]
    )
    spare, _ = accounts.create_token(None, person, name="spare")
    (notification,) = notify([person], "sla_warning", ticket, "First response due soon.")
    from rapport.mail.testing import build, deliver, support_mailbox

    mailbox = support_mailbox(world)
    mailed = deliver(build(subject=f"Re: [#{ticket.pk}] Printer on fire"), mailbox)
    stranger = deliver(build(sender="stranger@nowhere.example"), mailbox)
    from rapport.policies import actions as policy_actions
    from rapport.scorecards import actions as scorecard_actions

    document = policy_actions.create_document(
        world.manager, kind="article", title="Printer help", body="Unplug it.",
        owner=world.manager, team=world.support, client_audience="all",
    )  # fmt: skip
    policy_actions.publish(world.manager, document.versions.get())
    proposal = policy_actions.file_proposal(
        world.contact, document, what_is_wrong="a", why="b", proposed_fix="c"
    )
    procedure = policy_actions.create_document(
        world.manager, kind="procedure", title="Printer fires", body="1. Unplug it.",
        owner=world.manager, team=world.support,
    )  # fmt: skip
    steps = procedure.versions.get()
    policy_actions.submit(world.manager, steps)
    policy_actions.record_review(world.lead, steps, answer="yes", customer_view="Safe",
                                 new_hire_can_follow=True)  # fmt: skip
    policy_actions.approve(world.manager, steps)
    policy_actions.publish(world.manager, steps)
    exception = policy_actions.record_exception(
        world.agent, ticket, procedure, why="a", instead="b", within_autonomy=True
    )
    card = scorecard_actions.create_weighted(
        None, provider=world.support.party, name="Support",
        criteria=[{"name": "Review", "metric": "manual", "weight": 100}],
    )  # fmt: skip
    from datetime import timedelta

    from rapport.core import clock
    from rapport.people.actions import pulse as pulse_actions
    from rapport.people.actions import quality as quality_actions
    from rapport.people.models import PulseComment

    rubric = quality_actions.create_rubric(
        None, name="Fuzz", categories=[{"name": "Solution", "scale": 5, "weight": 10}]
    )
    quality_review = quality_actions.submit_review(
        world.manager, ticket, rubric, {rubric.categories.get().pk: 3}, agent=world.agent
    )
    dispute = quality_actions.dispute(world.agent, quality_review, reason="Too harsh")
    session = quality_actions.create_calibration(
        None, name="Fuzz", rubric=rubric, tickets=[ticket], reviewers=[world.lead, world.admin]
    )
    pulse_round = pulse_actions.open_round(
        pulse_actions.set_up_pulse(None, world.support), at=clock.now() - timedelta(hours=1)
    )
    pulse_actions.answer(world.agent, pulse_round, enps=5, items={}, comment="Hm")
    from rapport.improvement import actions as improvement_actions
    from rapport.improvement.models import Cause

    review = improvement_actions.open_review("csat", f"fuzz:{ticket.pk}", ticket=ticket)
    assert review is not None
    improvement_actions.record(None, review, cause=Cause.TRAINING)
    improvement_actions.close(None, review)
    problem = improvement_actions.create_problem(None, title="Fuzz", reviews=[review])
    action = review.actions.first()
    assert action is not None
    from rapport.people.actions import training
    from rapport.people.models import Assignment

    p = world.people
    scenario = training.create_scenario(
        p["manager"], title="Missing parcel", channel="phone", persona_name="Mrs Doe",
        persona_situation="Parcel late", persona_wants="Refund", temperament="red",
        steps=[{"line": "Where is my parcel?"}],
    )  # fmt: skip
    candidate = training.add_candidate(p["manager"], full_name="Ada Lovelace")
    assessment = training.start_assessment(
        p["manager"], scenario, candidate=candidate, assessors=[p["lead"], p["agent"]]
    )
    plan = training.create_plan(
        p["manager"], name="Basics", kind="recurring", team=world.support,
        items=[{"kind": "session", "title": "Shadow", "due_days": 3}],
    )  # fmt: skip
    training.assign_plan(p["manager"], plan, [p["agent"]])
    assignment_pk = Assignment.objects.get(person=p["agent"]).pk
    from rapport.automation.actions import macros, rules, webhooks

    open_untagged = {"all": [{"field": "status", "op": "is", "value": "open"},
                             {"field": "tags", "op": "excludes", "value": "seen"}]}  # fmt: skip
    rule = rules.create_rule(None, "automation", {
        "name": "Tag open", "conditions": open_untagged,
        "actions": [{"type": "add_tags", "value": ["seen"]}]})  # fmt: skip
    macro = macros.create_macro(
        world.admin, {"title": "Hi", "body": "Hi", "visibility": "everyone"}
    )
    hook = webhooks.create_webhook(None, {"name": "CRM", "url": "http://127.0.0.1:9/",
                                          "kinds": ["created"], "secret": "s" * 20})  # fmt: skip
    return {
        "quality_review_id": quality_review.pk,
        "dispute_id": dispute.pk,
        "session_id": session.pk,
        "round_id": pulse_round.pk,
        "comment_id": PulseComment.objects.get().pk,
        "review_id": review.pk,
        "problem_id": problem.pk,
        "action_id": action.pk,
        "scenario_id": scenario.pk,
        "candidate_id": candidate.pk,
        "assessment_id": assessment.pk,
        "plan_id": plan.pk,
        "assignment_id": assignment_pk,
        "rule_id": rule.pk,
        "macro_id": macro.pk,
        "webhook_id": hook.pk,
        "reaction_id": _failed_reaction(),
        "scorecard_id": card.pk,
        "message_id": mailed.message_id,
        "inbound_id": stranger.pk,
        "mailbox_id": mailbox.pk,
        "number": ticket.pk,
        "org_id": world.customer.pk,
        "team_id": world.support.pk,
        "person_id": person.pk,
        "calendar_id": world.calendar.pk,
        "agreement_id": world.sla.pk,
        "attachment_id": attachment.pk,
        "token_id": spare.pk,
        "notification_id": notification.pk,
        "tag": "vip",
        "document_id": document.pk,
        "version_number": 1,
        "proposal_id": proposal.pk,
        "exception_id": exception.pk,
    }


def assert_answer(response: Any) -> None:
    status = response.status_code
    assert status < 500, f"{status}: {response.text[:500]}"
    if status < 400:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith(PROBLEM), f"{status} answered as {content_type!r}"
    problem = json.loads(response.text)
    assert problem["status"] == status, problem
    assert isinstance(problem["detail"], str) and problem["detail"], problem
    assert problem["title"], problem
    for error in problem.get("errors") or ():
        assert error.get("message"), problem


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_fuzz(label: str, role: str, world: World, in_process_wsgi: None) -> None:
    operation = OPERATIONS[label]
    _, key = accounts.create_token(None, world.people[role], name="fuzz")
    auth = {"Authorization": f"Bearer {key}"}
    ids = real_ids(world, role)
    path_names = {p.name for p in operation.path_parameters}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(mode, headers=auth))
        if path_names:
            known = {name: ids[name] for name in path_names}
            strategies.append(operation.as_strategy(mode, headers=auth, path_parameters=known))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=st.one_of(strategies))
    def fuzz(case: Any) -> None:
        note(case.as_curl_command())
        with transaction.atomic():
            response = case.call(app=application, headers=auth)
            transaction.set_rollback(True)
        assert_answer(response)
        if response.status_code < 300:
            case.validate_response(response, checks=[response_schema_conformance])

    fuzz()
