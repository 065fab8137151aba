"""Approving exceptions beyond a policy's autonomy: the named approver (the policy's
owner or the agent's lead) finds them on a page and in the API, decides, the decision
is recorded on the exception and the ticket, and the agent is told."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.core.errors import Invalid
from rapport.notifications.models import Notification
from rapport.policies import actions
from rapport.policies.models import ExceptionStatus, PolicyException
from rapport.policies.tests.libworld import published_policy
from rapport.testing import PASSWORD, World
from rapport.tickets.models import Event


def _login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _pending(world: World) -> PolicyException:
    doc = published_policy(world)
    return actions.record_exception(
        world.agent, world.ticket("contact"), doc, why="Customer for ten years",
        instead="Refunded 120 EUR", within_autonomy=False, approver=world.lead,
    )  # fmt: skip


def test_the_approver_sees_and_approves_it_on_the_page(world: World) -> None:
    pending = _pending(world)
    lead = _login(world, "lead")
    page = lead.get("/policies/exceptions/").content.decode()
    assert "Customer for ten years" in page and "Refunded 120 EUR" in page
    assert "Customer for ten years" not in _login(world, "manager").get(
        "/policies/exceptions/").content.decode()  # fmt: skip
    response = lead.post(f"/policies/exceptions/{pending.pk}/decide", {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ExceptionStatus.APPROVED and pending.decided_at is not None
    assert Notification.objects.filter(recipient=world.agent, kind="exception",
                                       text__contains="was approved").exists()  # fmt: skip
    event = Event.objects.get(ticket=pending.ticket, kind="policy_exception_decided")
    assert event.data["decision"] == "approved"
    after = lead.get("/policies/exceptions/").content.decode()
    assert "Nothing waits for your approval." in after and "Approved" in after


def test_declining_needs_a_note_the_agent_reads(world: World) -> None:
    pending = _pending(world)
    lead = _login(world, "lead")
    refused = lead.post(f"/policies/exceptions/{pending.pk}/decide", {"decision": "decline"})
    assert refused.status_code == 422
    assert "This field is required." in refused.content.decode()
    with pytest.raises(Invalid):
        actions.decide_exception(world.lead, pending, approve=False)
    lead.post(f"/policies/exceptions/{pending.pk}/decide",
              {"decision": "decline", "note": "Above 100 EUR goes to the manager."})  # fmt: skip
    pending.refresh_from_db()
    assert pending.status == ExceptionStatus.DECLINED
    assert pending.decision_note == "Above 100 EUR goes to the manager."
    note = Notification.objects.get(recipient=world.agent, text__contains="declined")
    assert "Above 100 EUR goes to the manager." in note.text


def test_the_api_lists_and_decides(world: World) -> None:
    pending = _pending(world)
    lead = world.client("lead")
    waiting = lead.get("/api/v1/exceptions").json()
    assert [e["id"] for e in waiting] == [pending.pk]
    assert waiting[0]["document_title"] == "Refunds"
    assert world.client("agent").post_json(
        f"/api/v1/exceptions/{pending.pk}/decision", {"decision": "approve"}
    ).status_code == 403  # the agent cannot approve their own  # fmt: skip
    decided = lead.post_json(f"/api/v1/exceptions/{pending.pk}/decision",
                             {"decision": "approve", "note": "Fine this once"}).json()  # fmt: skip
    assert decided["status"] == "approved" and decided["decision_note"] == "Fine this once"
    assert lead.get("/api/v1/exceptions").json() == []
    assert [e["id"] for e in lead.get("/api/v1/exceptions?status=decided").json()] == [pending.pk]
    again = lead.post_json(f"/api/v1/exceptions/{pending.pk}/decision", {"decision": "decline",
                                                                         "note": "No"})  # fmt: skip
    assert again.status_code == 409
    assert world.client("contact").get(f"/api/v1/exceptions/{pending.pk}").status_code == 404
