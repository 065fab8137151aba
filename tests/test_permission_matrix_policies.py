"""The permission matrix of the library's newer routes: audience, approvers, the
outside-customer-service flag, the periodic review, the must-read check, and approving
exceptions. Same rules and machinery as `test_permission_matrix` (which counts these
rows as covered): drafts reach only the owner, the owning team (its reviewers),
approvers and admins; internal documents never reach clients or vendor users; a
document one may see but not change answers 403, one one may not see 404."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.policies import actions as policy_actions
from rapport.policies.models import Document
from rapport.testing import ROLES
from rapport.tickets.models import Ticket
from test_permission_matrix import (
    SUPPORT_STAFF,
    Case,
    Ctx,
    d,
    library,
    outcomes,
    readers_of,
    run_operation,
)

OWNERS = ("admin", "manager")  # the manager owns every document of the matrix library
# Sees the published policy but may not change it / sees the draft but may not change it.
POLICY_NOT_OWNER = ("agent", "lead", "other_agent", "employee")
DRAFT_NOT_OWNER = ("agent", "lead")


def everyone(status: int) -> dict[str, int]:
    return outcomes((status, ROLES))


def pending_exception(ctx: Ctx) -> None:
    """The agent asks the lead to approve an exception to the refunds policy."""
    library(ctx)
    p = ctx.world.people
    policy = Document.objects.get(pk=d(ctx, "policy"))
    ticket = Ticket.objects.get(pk=ctx.n("contact"))
    exception = policy_actions.record_exception(
        p["agent"], ticket, policy, why="Loyal for ten years", instead="Refunded 120 EUR",
        within_autonomy=False, approver=p["lead"],
    )  # fmt: skip
    ctx.exception = exception.pk  # type: ignore[attr-defined]


def check_awaiting(role: str, body: Any, ctx: Ctx) -> None:
    ids = [item["id"] for item in body]
    if role == "lead":
        assert ids == [ctx.exception], ids  # type: ignore[attr-defined]
        assert body[0]["why"] == "Loyal for ten years"
    else:
        assert ids == [], f"{role} sees another approver's queue"


def check_audience(role: str, body: Any, ctx: Ctx) -> None:
    assert body["all_staff"] is False and body["audience_roles"] == ["manager"]
    assert body["audience_teams"] == [ctx.world.support.pk]


def check_approvers(role: str, body: Any, ctx: Ctx) -> None:
    assert [(a["person"]["id"], a["label"]) for a in body["approvers"]] == [
        (ctx.pid("lead"), "Team lead")
    ]


def check_outside(role: str, body: Any, ctx: Ctx) -> None:
    assert body["outside_customer_service"] is True and body["outside_reason"] == "Safety"


def check_questions(role: str, body: Any, ctx: Ctx) -> None:
    assert body == [{"text": "First step?", "options": ["Ask", "Refund"], "correct": 0}]


def check_decided(role: str, body: Any, ctx: Ctx) -> None:
    assert body["status"] == "approved" and body["approver"]["id"] == ctx.pid("lead")


MATRIX: dict[str, list[Case]] = {
    "PUT /api/v1/documents/{document_id}/vote": [
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'globex')}/vote", {"helpful": True},
                                content_type="application/json"),
             readers_of("globex"), prepare=library, label="article for Globex"),
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'policy')}/vote", {"helpful": True},
                                content_type="application/json"),
             readers_of("policy", 422), prepare=library, label="policy"),
    ],
    "PUT /api/v1/documents/{document_id}/audience": [
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'policy')}/audience", {
                "all_staff": False, "audience_roles": ["manager"],
                "audience_teams": [x.world.support.pk]}, content_type="application/json"),
             outcomes((200, OWNERS), (403, POLICY_NOT_OWNER)), check_audience,
             prepare=library, label="policy"),
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'draft')}/audience", {
                "all_staff": True, "client_audience": "all"}, content_type="application/json"),
             # A procedure never reaches clients: refused for its owner too.
             outcomes((422, OWNERS), (403, DRAFT_NOT_OWNER)), prepare=library,
             label="procedure to clients"),
    ],
    "PUT /api/v1/documents/{document_id}/approvers": [
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'draft')}/approvers", {
                "approvers": [{"person": x.pid("lead"), "label": "Team lead"}]},
                content_type="application/json"),
             outcomes((200, OWNERS), (403, DRAFT_NOT_OWNER)), check_approvers, prepare=library)
    ],
    "PUT /api/v1/documents/{document_id}/outside-customer-service": [
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'draft')}/outside-customer-service",
                                {"outside": True, "reason": "Safety"},
                                content_type="application/json"),
             outcomes((200, OWNERS), (403, DRAFT_NOT_OWNER)), check_outside, prepare=library)
    ],
    "POST /api/v1/documents/{document_id}/cycle": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'policy')}/cycle",
                                      {"action": "reconfirm", "note": "Still right"}),
             outcomes((200, OWNERS), (403, POLICY_NOT_OWNER)), prepare=library)
    ],
    "PUT /api/v1/documents/{document_id}/versions/{version_number}/check": [
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'draft')}/versions/1/check", {
                "questions": [{"text": "First step?", "options": ["Ask", "Refund"],
                               "correct": 0}]}, content_type="application/json"),
             outcomes((200, OWNERS), (403, DRAFT_NOT_OWNER)), check_questions, prepare=library,
             label="draft"),
        Case(lambda c, x: c.put(f"/api/v1/documents/{d(x, 'policy')}/versions/1/check", {
                "questions": []}, content_type="application/json"),
             # Published: the check cannot change any more.
             outcomes((409, OWNERS), (403, POLICY_NOT_OWNER)), prepare=library,
             label="published"),
    ],
    "GET /api/v1/exceptions": [
        Case(lambda c, x: c.get("/api/v1/exceptions"), everyone(200), check_awaiting,
             prepare=pending_exception)
    ],
    "GET /api/v1/exceptions/{exception_id}": [
        Case(lambda c, x: c.get(f"/api/v1/exceptions/{x.exception}"),  # type: ignore[attr-defined]
             outcomes((200, SUPPORT_STAFF)), prepare=pending_exception)
    ],
    "POST /api/v1/exceptions/{exception_id}/decision": [
        Case(lambda c, x: c.post_json(f"/api/v1/exceptions/{x.exception}/decision",  # type: ignore[attr-defined]
                                      {"decision": "approve"}),
             outcomes((200, ["lead"]), (403, ("admin", "manager", "agent"))), check_decided,
             prepare=pending_exception)
    ],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
