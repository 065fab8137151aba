"""Who may do what through the improvement API: every role × every operation.

Reviews, problems and the Pareto are staff-only: a list answers 403 to anyone else,
an id 404. An agent sees the reviews of its teams' work (the IT agent none of
Support's); a vendor user sees the corrective actions addressed to its organisation
once confirmed, and nothing of the review behind them; a contractor user sees none.
Read by `test_permission_matrix.py`'s coverage check (`matrices()`).
"""

from __future__ import annotations

from typing import Any

import pytest

from rapport.improvement import actions
from rapport.improvement.models import ActionKind, Cause, CorrectiveAction, Trigger
from test_permission_matrix import STAFF, SUPPORT_STAFF, Case, Ctx, outcomes, run_operation

WITH_VENDOR = (*STAFF, "vendor_user")


def improvement_world(ctx: Ctx) -> None:
    """An open review of Globex's ticket, a closed personnel one, and a vendor's review
    closed with training: its training action proposed, its contract review confirmed."""
    x: Any = ctx
    t = ctx.tickets
    x.open_review = actions.open_review(Trigger.CSAT, "m:open", ticket=t["contact"])
    personnel = actions.open_review(Trigger.REOPEN, "m:personnel", ticket=t["colleague"])
    actions.record(None, personnel, cause=Cause.PERSONNEL)
    actions.close(None, personnel)
    x.personnel = personnel
    vendor = actions.open_review(Trigger.BREACH, "m:vendor", ticket=t["vendor"])
    actions.record(None, vendor, cause=Cause.TRAINING, whys=["No one trained on the model"])
    actions.close(None, vendor)
    x.proposed = CorrectiveAction.objects.get(review=vendor, kind=ActionKind.TRAINING)
    uc = CorrectiveAction.objects.get(review=vendor, kind=ActionKind.UC_REVIEW)
    x.addressed = actions.confirm(None, uc, owner=ctx.world.lead)
    x.problem = actions.create_problem(None, title="Printers", reviews=[vendor])


def check_reviews(role: str, body: Any, ctx: Ctx) -> None:
    n = len(body["items"])
    expected = {"other_agent": 0}.get(role, 3)
    assert n == expected, (role, n)


def check_vendor_sees_no_review(role: str, body: Any, ctx: Ctx) -> None:
    items = body.get("items", [body])
    if role == "vendor_user":
        assert [i["id"] for i in items] == [ctx.addressed.pk]  # type: ignore[attr-defined]
        assert all(i["review"] is None and i["owner"] is None for i in items)
    else:
        assert all(i["review"] is not None for i in items)


def _id(x: Ctx, name: str) -> int:
    return getattr(x, name).pk  # type: ignore[no-any-return]


REVIEWERS = outcomes((200, SUPPORT_STAFF))
STAFF_LIST = outcomes((200, STAFF), rest=403)

MATRIX: dict[str, list[Case]] = {
    "GET /api/v1/reviews": [
        Case(lambda c, x: c.get("/api/v1/reviews"), STAFF_LIST, check_reviews,
             prepare=improvement_world),
    ],
    "GET /api/v1/reviews/{review_id}": [
        Case(lambda c, x: c.get(f"/api/v1/reviews/{_id(x, 'open_review')}"), REVIEWERS,
             prepare=improvement_world),
    ],
    "PUT /api/v1/reviews/{review_id}": [
        Case(lambda c, x: c.generic(
                "PUT", f"/api/v1/reviews/{_id(x, 'open_review')}",
                '{"cause": "procedure", "whys": ["No step for it"]}',
                content_type="application/json"),
             REVIEWERS, prepare=improvement_world),
    ],
    "POST /api/v1/reviews/{review_id}/close": [
        Case(lambda c, x: c.post_json(f"/api/v1/reviews/{_id(x, 'personnel')}/close"),
             outcomes((409, SUPPORT_STAFF)), prepare=improvement_world, label="closed"),
    ],
    "POST /api/v1/reviews/{review_id}/agree": [
        Case(lambda c, x: c.post_json(f"/api/v1/reviews/{_id(x, 'personnel')}/agree"),
             REVIEWERS, prepare=improvement_world),
    ],
    "GET /api/v1/problems": [
        Case(lambda c, x: c.get("/api/v1/problems"), STAFF_LIST, prepare=improvement_world),
    ],
    "POST /api/v1/problems": [
        Case(lambda c, x: c.post_json("/api/v1/problems", {"title": "Refunds"}),
             outcomes((201, STAFF), rest=403)),
    ],
    "GET /api/v1/problems/{problem_id}": [
        Case(lambda c, x: c.get(f"/api/v1/problems/{_id(x, 'problem')}"),
             outcomes((200, STAFF)), prepare=improvement_world),
    ],
    "POST /api/v1/problems/{problem_id}/close": [
        Case(lambda c, x: c.post_json(f"/api/v1/problems/{_id(x, 'problem')}/close",
                                      {"cause": "training"}),
             outcomes((200, STAFF)), prepare=improvement_world),
    ],
    "GET /api/v1/corrective-actions": [
        Case(lambda c, x: c.get("/api/v1/corrective-actions"),
             outcomes((200, (*WITH_VENDOR, "contractor_user")), rest=403),
             lambda role, body, ctx: None if role == "contractor_user" and not body["items"]
             else check_vendor_sees_no_review(role, body, ctx),
             prepare=improvement_world),
    ],
    "GET /api/v1/corrective-actions/{action_id}": [
        Case(lambda c, x: c.get(f"/api/v1/corrective-actions/{_id(x, 'addressed')}"),
             outcomes((200, WITH_VENDOR)), check_vendor_sees_no_review,
             prepare=improvement_world, label="addressed"),
        Case(lambda c, x: c.get(f"/api/v1/corrective-actions/{_id(x, 'proposed')}"),
             outcomes((200, STAFF)), prepare=improvement_world, label="proposed"),
    ],
    "POST /api/v1/corrective-actions/{action_id}/confirm": [
        Case(lambda c, x: c.post_json(f"/api/v1/corrective-actions/{_id(x, 'proposed')}/confirm",
                                      {"detail": "Train on the new printer"}),
             outcomes((200, STAFF)), prepare=improvement_world),
    ],
    "POST /api/v1/corrective-actions/{action_id}/done": [
        Case(lambda c, x: c.post_json(f"/api/v1/corrective-actions/{_id(x, 'addressed')}/done"),
             outcomes((200, STAFF), (403, ("vendor_user",))), prepare=improvement_world),
    ],
    "POST /api/v1/corrective-actions/{action_id}/cancel": [
        Case(lambda c, x: c.post_json(f"/api/v1/corrective-actions/{_id(x, 'addressed')}/cancel",
                                      {"reason": "Contract ended"}),
             outcomes((200, STAFF), (403, ("vendor_user",))), prepare=improvement_world),
    ],
    "GET /api/v1/improvement/pareto": [
        Case(lambda c, x: c.get("/api/v1/improvement/pareto?dimension=cause"), STAFF_LIST,
             prepare=improvement_world),
    ],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
