"""Kudos and the staff pulse in the permission matrix (see test_permission_matrix.py).

Both are staff-only: clients, employees and vendor users get 403. Company values are
set by admins; a team's pulse by its lead, managers and admins; only a team's members
answer its round; only the team's lead (or managers, admins) replies to its comments.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.core import clock
from rapport.people.actions import pulse, recognition
from rapport.people.models import PulseComment
from test_permission_matrix import (
    NON_STAFF,
    STAFF,
    Case,
    Ctx,
    outcomes,
    run_operation,
)

STAFF_ONLY = outcomes((200, STAFF), (403, NON_STAFF))


def values(ctx: Ctx) -> None:
    ctx.value = recognition.create_value(None, name="Ownership").pk  # type: ignore[attr-defined]


def a_round(ctx: Ctx) -> None:
    w = ctx.world
    survey = pulse.set_up_pulse(None, w.support)
    r = pulse.open_round(survey, at=clock.now() - timedelta(hours=1))
    pulse.answer(w.people["lead"], r, enps=3, items={"valued": 2}, comment="Too many tickets")
    ctx.round = r.pk  # type: ignore[attr-defined]
    ctx.comment = PulseComment.objects.get().pk  # type: ignore[attr-defined]


MATRIX: dict[str, list[Case]] = {
    "GET /api/v1/kudos": [Case(lambda c, x: c.get("/api/v1/kudos"), STAFF_ONLY)],
    "POST /api/v1/kudos": [
        Case(lambda c, x: c.post_json("/api/v1/kudos", {
                "to_team": x.world.support.pk, "message": "Thanks!", "value": x.value}),  # type: ignore[attr-defined]
             outcomes((201, STAFF), (403, NON_STAFF)), prepare=values)
    ],
    "GET /api/v1/kudos/values": [Case(lambda c, x: c.get("/api/v1/kudos/values"), STAFF_ONLY)],
    "POST /api/v1/kudos/values": [
        Case(lambda c, x: c.post_json("/api/v1/kudos/values", {"name": "Candour"}),
             outcomes((201, ("admin",)), (403, (*STAFF[1:], *NON_STAFF))))
    ],
    "GET /api/v1/pulse/surveys": [
        Case(lambda c, x: c.get("/api/v1/pulse/surveys"), STAFF_ONLY, prepare=a_round)
    ],
    "POST /api/v1/pulse/surveys": [
        Case(lambda c, x: c.post_json("/api/v1/pulse/surveys", {"team": x.world.support.pk}),
             outcomes((201, ("admin", "manager", "lead")),
                      (403, ("agent", "other_agent", *NON_STAFF))))
    ],
    "POST /api/v1/pulse/rounds/{round_id}/answers": [
        # Support's members answer (the lead did already: 409); IT's agent is no member.
        Case(lambda c, x: c.post_json(f"/api/v1/pulse/rounds/{x.round}/answers",  # type: ignore[attr-defined]
                                      {"enps": 8, "items": {"valued": 4}}),
             outcomes((204, ("agent",)), (409, ("lead",)), (404, ("admin", "manager",
                      "other_agent")), (403, NON_STAFF)), prepare=a_round)
    ],
    "GET /api/v1/pulse/results": [
        Case(lambda c, x: c.get("/api/v1/pulse/results"), STAFF_ONLY, prepare=a_round)
    ],
    "POST /api/v1/pulse/comments/{comment_id}/replies": [
        Case(lambda c, x: c.post_json(f"/api/v1/pulse/comments/{x.comment}/replies",  # type: ignore[attr-defined]
                                      {"text": "Hiring two more"}),
             outcomes((201, ("admin", "manager", "lead")), (404, ("agent", "other_agent")),
                      (403, NON_STAFF)), prepare=a_round)
    ],
    "GET /api/v1/teams/{team_id}/health": [
        Case(lambda c, x: c.get(f"/api/v1/teams/{x.world.support.pk}/health"), STAFF_ONLY,
             prepare=a_round)
    ],
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
