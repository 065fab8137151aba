"""Quality reviews in the permission matrix (see tests/test_permission_matrix.py).

An agent sees their own reviews and disputes; a lead their team's; a vendor's users
their organisation's only once its manager shares them; calibration is blind and for
its reviewers; rubrics and calibration are written by leads, managers and admins.
"""

from __future__ import annotations

from typing import Any

import pytest

from rapport.people.actions import quality
from rapport.people.models import Review, Rubric
from rapport.tickets import actions as ticket_actions
from test_permission_matrix import (
    NON_STAFF,
    STAFF,
    Case,
    Ctx,
    build_matrix_world,
    everyone,
    outcomes,
    run_operation,
)

LEADERS = ("admin", "manager", "lead")


def reviews(ctx: Ctx) -> None:
    p = ctx.world.people
    rubric = quality.create_rubric(p["lead"], name="Quality", categories=[
        {"name": "Solution", "scale": 5, "weight": 50},
        {"name": "GDPR", "scale": 2, "weight": 5, "critical": True},
    ])  # fmt: skip
    cats = {c.name: c.pk for c in rubric.categories.all()}
    vendor_ticket = ctx.tickets["vendor"]
    ticket_actions.reply(p["vendor_user"], vendor_ticket, body="On our way.")
    ctx.rubric = rubric.pk  # type: ignore[attr-defined]
    ctx.cats = cats  # type: ignore[attr-defined]
    ctx.vendor_review = quality.submit_review(  # type: ignore[attr-defined]
        p["lead"], vendor_ticket, rubric, {cats["Solution"]: 2, cats["GDPR"]: 1}
    ).pk
    ctx.agent_review = quality.submit_review(  # type: ignore[attr-defined]
        p["lead"],
        ctx.tickets["contact"],
        rubric,
        {cats["Solution"]: 3, cats["GDPR"]: 1},
        coaching_note="Offer the workaround first.",
    ).pk


def a_dispute(ctx: Ctx) -> None:
    reviews(ctx)
    p = ctx.world.people
    review = Review.objects.get(pk=ctx.agent_review)  # type: ignore[attr-defined]
    ctx.dispute = quality.dispute(p["agent"], review, reason="Too harsh").pk  # type: ignore[attr-defined]


def a_session(ctx: Ctx) -> None:
    reviews(ctx)
    p = ctx.world.people
    session = quality.create_calibration(
        p["manager"], name="March", rubric=Rubric.objects.get(pk=ctx.rubric),  # type: ignore[attr-defined]
        tickets=[ctx.tickets["contact"]], reviewers=[p["lead"], p["admin"]],
    )  # fmt: skip
    ctx.session = session.pk  # type: ignore[attr-defined]


def x(ctx: Ctx, name: str) -> Any:
    return getattr(ctx, name)


def check_reviews(role: str, body: Any, ctx: Ctx) -> None:
    seen = {item["id"] for item in body["items"]}
    vendor, agent = x(ctx, "vendor_review"), x(ctx, "agent_review")
    expected = {
        "admin": {vendor, agent}, "manager": {vendor, agent}, "lead": {vendor, agent},
        "agent": {agent},
    }.get(role, set())  # fmt: skip
    assert seen == expected, (seen, expected)


def check_disputes(role: str, body: Any, ctx: Ctx) -> None:
    seen = {item["id"] for item in body}
    expected = {x(ctx, "dispute")} if role in ("admin", "manager", "lead", "agent") else set()
    assert seen == expected, seen


def check_sessions(role: str, body: Any, ctx: Ctx) -> None:
    seen = {item["id"] for item in body}
    expected = {x(ctx, "session")} if role in ("admin", "manager", "lead") else set()
    assert seen == expected, seen


STAFF_ONLY = outcomes((200, STAFF), (403, NON_STAFF))
RUBRIC_BODY = {"name": "Phone", "categories": [{"name": "Greeting", "scale": 2, "weight": 10}]}

MATRIX: dict[str, list[Case]] = {
    "GET /api/v1/quality/rubrics": [
        Case(lambda c, x: c.get("/api/v1/quality/rubrics"), STAFF_ONLY, prepare=reviews)
    ],
    "POST /api/v1/quality/rubrics": [
        Case(lambda c, x: c.post_json("/api/v1/quality/rubrics", RUBRIC_BODY),
             outcomes((201, LEADERS), (403, ("agent", "other_agent", *NON_STAFF))))
    ],
    "GET /api/v1/quality/reviews": [
        Case(lambda c, x: c.get("/api/v1/quality/reviews"), everyone(200), check_reviews,
             prepare=reviews)
    ],
    "POST /api/v1/quality/reviews": [
        Case(lambda c, x: c.post_json("/api/v1/quality/reviews", {
                "ticket": x.n("contact"), "rubric": x.rubric,  # type: ignore[attr-defined]
                "ratings": {str(k): 1 for k in x.cats.values()}}),  # type: ignore[attr-defined]
             # The agent answered it: theirs is a self-review; IT's agent cannot see it.
             outcomes((201, ("admin", "manager", "lead", "agent")), (404, ("other_agent",)),
                      (403, NON_STAFF)), prepare=reviews)
    ],
    "GET /api/v1/quality/reviews/{quality_review_id}": [
        Case(lambda c, x: c.get(f"/api/v1/quality/reviews/{x.agent_review}"),  # type: ignore[attr-defined]
             outcomes((200, ("admin", "manager", "lead", "agent"))), prepare=reviews,
             label="the agent's"),
        Case(lambda c, x: c.get(f"/api/v1/quality/reviews/{x.vendor_review}"),  # type: ignore[attr-defined]
             outcomes((200, LEADERS)), prepare=reviews, label="the vendor's, not shared"),
    ],
    "POST /api/v1/quality/reviews/{quality_review_id}/acknowledgement": [
        Case(lambda c, x: c.post_json(
                f"/api/v1/quality/reviews/{x.agent_review}/acknowledgement"),  # type: ignore[attr-defined]
             outcomes((200, ("agent",)), (403, LEADERS)), prepare=reviews)
    ],
    "POST /api/v1/quality/reviews/{quality_review_id}/disputes": [
        Case(lambda c, x: c.post_json(
                f"/api/v1/quality/reviews/{x.agent_review}/disputes", {"reason": "Harsh"}),  # type: ignore[attr-defined]
             outcomes((201, ("agent",)), (403, LEADERS)), prepare=reviews)
    ],
    "GET /api/v1/quality/disputes": [
        Case(lambda c, x: c.get("/api/v1/quality/disputes"), everyone(200), check_disputes,
             prepare=a_dispute)
    ],
    "POST /api/v1/quality/disputes/{dispute_id}/decision": [
        Case(lambda c, x: c.post_json(f"/api/v1/quality/disputes/{x.dispute}/decision",  # type: ignore[attr-defined]
                                      {"decision": "uphold"}),
             # The lead wrote the review: someone else arbitrates.
             outcomes((200, ("admin", "manager")), (403, ("lead", "agent"))),
             prepare=a_dispute)
    ],
    "GET /api/v1/quality/calibrations": [
        Case(lambda c, x: c.get("/api/v1/quality/calibrations"), everyone(200),
             check_sessions, prepare=a_session)
    ],
    "POST /api/v1/quality/calibrations": [
        Case(lambda c, x: c.post_json("/api/v1/quality/calibrations", {
                "name": "April", "rubric": x.rubric, "tickets": [x.n("contact")],  # type: ignore[attr-defined]
                "reviewers": [x.pid("lead"), x.pid("admin")]}),
             outcomes((201, LEADERS), (403, ("agent", *NON_STAFF)), (404, ("other_agent",))),
             prepare=reviews)
    ],
    "GET /api/v1/quality/calibrations/{session_id}": [
        Case(lambda c, x: c.get(f"/api/v1/quality/calibrations/{x.session}"),  # type: ignore[attr-defined]
             outcomes((200, LEADERS)), prepare=a_session)
    ],
    "POST /api/v1/quality/calibrations/{session_id}/close": [
        Case(lambda c, x: c.post_json(f"/api/v1/quality/calibrations/{x.session}/close"),  # type: ignore[attr-defined]
             outcomes((200, ("admin", "manager")), (403, ("lead",))), prepare=a_session)
    ],
    "PUT /api/v1/quality/sharing/{org_id}": [
        Case(lambda c, x: c._json("put", f"/api/v1/quality/sharing/{x.world.vendor.pk}",
                                  {"shared": True}),
             outcomes((200, ("admin",)), (403, (*STAFF[1:], "vendor_user"))))
    ],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)


def test_a_vendor_sees_its_reviews_once_its_manager_shares_them(db: None) -> None:
    ctx = build_matrix_world()
    reviews(ctx)
    client = ctx.clients["vendor_user"]
    assert client.get("/api/v1/quality/reviews").json()["items"] == []
    quality.set_review_sharing(ctx.world.admin, ctx.world.vendor, shared=True)
    items = client.get("/api/v1/quality/reviews").json()["items"]
    assert [i["id"] for i in items] == [x(ctx, "vendor_review")]
    assert items[0]["agent"]["id"] == ctx.pid("vendor_user")
