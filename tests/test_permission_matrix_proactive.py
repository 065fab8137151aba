"""The proactive app's rows of the permission matrix (see test_permission_matrix):
client risk and outreach are for managers and admins; a ticket's forecast is for our
staff who see its clocks; clients and vendor users see no scores at all."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.proactive.actions import refresh_forecasts, snapshot_risks
from test_permission_matrix import SUPPORT_STAFF, Case, Ctx, outcomes, run_operation

MANAGERS = ("admin", "manager")
ONLY_MANAGERS = outcomes((200, MANAGERS), rest=403)


def scored(x: Ctx) -> None:
    snapshot_risks()
    refresh_forecasts()


def check_at_risk(role: str, body: Any, ctx: Ctx) -> None:
    names = {row["name"] for row in body}
    assert {"Globex", "Initech"} <= names, names
    assert all(row["score"] == sum(c["points"] for c in row["contributions"]) for row in body)


def check_forecast(role: str, body: Any, ctx: Ctx) -> None:
    assert body["ticket"] == ctx.n("contact")
    assert "resolution" in {c["kind"] for c in body["clocks"]}  # answered: no first response
    assert all(0 <= c["probability"] <= 1 for c in body["clocks"])


def outreach(x: Ctx, dry_run: bool) -> dict[str, Any]:
    return {
        "subject": "Outage",
        "body": "We know; fixing it.",
        "source": "tickets",
        "tickets": [x.n("contact"), x.n("other")],
        "dry_run": dry_run,
    }


def check_preview(role: str, body: Any, ctx: Ctx) -> None:
    assert body["dry_run"] is True and len(body["recipients"]) == 2


def check_sent(role: str, body: Any, ctx: Ctx) -> None:
    assert body["id"] and len(body["recipients"]) == 2


MATRIX: dict[str, list[Case]] = {
    "GET /api/v1/clients/at-risk": [
        Case(lambda c, x: c.get("/api/v1/clients/at-risk"), ONLY_MANAGERS, check_at_risk,
             prepare=scored)
    ],
    "GET /api/v1/tickets/{number}/forecast": [
        Case(lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}/forecast"),
             outcomes((200, SUPPORT_STAFF)), check_forecast, prepare=scored)
    ],
    "GET /api/v1/outreach": [
        Case(lambda c, x: c.get("/api/v1/outreach"), ONLY_MANAGERS)
    ],
    "POST /api/v1/outreach": [
        Case(lambda c, x: c.post_json("/api/v1/outreach", outreach(x, True)), ONLY_MANAGERS,
             check_preview, label="dry run"),
        Case(lambda c, x: c.post_json("/api/v1/outreach", outreach(x, False)),
             outcomes((201, MANAGERS), rest=403), check_sent, label="send"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
