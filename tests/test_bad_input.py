"""Bad input to the REST API gets a 4xx problem document that says what is wrong
(naming the field where one is at fault), and nothing already stored changes."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.accounts import actions as accounts
from rapport.accounts.models import ApiToken
from rapport.api.api import api
from rapport.automation.actions import macros, rules, webhooks
from rapport.directory import actions as directory
from rapport.testing import ApiClient, World
from rapport.tickets.models import Attachment, Event, Message, Ticket

PROBLEM = "application/problem+json"
UNKNOWN = 10**9
TOO_BIG = 2**64  # beyond any database integer


def assert_problem(
    response: Any, status: int, *, field: str | None = None, detail: str = ""
) -> dict[str, Any]:
    body = response.json() if response.content else None
    assert response.status_code == status, body
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    assert body["status"] == status and body["title"], body
    assert body["detail"], body
    assert detail.lower() in body["detail"].lower(), body
    if field is not None:
        fields = [error["field"] for error in body.get("errors", [])]
        assert field in fields, body
        assert all(error["message"] for error in body["errors"]), body
    return dict(body)


def snapshot(ticket: Ticket) -> dict[str, Any]:
    ticket = Ticket.objects.get(pk=ticket.pk)
    return {
        "subject": ticket.subject,
        "priority": ticket.priority,
        "status": ticket.status_id,
        "assignee": ticket.assignee_id,
        "updated_at": ticket.updated_at,
        "message_count": ticket.message_count,
        "messages": Message.objects.filter(ticket=ticket).count(),
        "events": Event.objects.filter(ticket=ticket).count(),
    }


@pytest.fixture
def agent(world: World) -> ApiClient:
    return world.client("agent")  # type: ignore[return-value]


@pytest.fixture
def ticket(world: World) -> Ticket:
    return world.ticket("contact")


# --- malformed, unknown and mistyped -----------------------------------------


@pytest.mark.parametrize(
    "raw",
    ['{"subject": ', '{"subject": "x",}', "subject=x", b"\xff\xfe{}"],
    ids=["truncated", "trailing-comma", "not-json", "not-utf8"],
)
def test_malformed_json_is_a_400(world: World, agent: ApiClient, raw: str | bytes) -> None:
    before = Ticket.objects.count()
    assert_problem(agent.post_json("/api/v1/tickets", raw), 400, detail="parse")
    assert Ticket.objects.count() == before


def test_malformed_patch_changes_nothing(agent: ApiClient, ticket: Ticket) -> None:
    before = snapshot(ticket)
    assert_problem(agent.patch_json(f"/api/v1/tickets/{ticket.pk}", '{"subject": "x'), 400)
    assert snapshot(ticket) == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [("", "required"), ("[1, 2]", "object"), ('"subject"', "object"), ("null", "")],
    ids=["empty", "array", "string", "null"],
)
def test_a_body_that_is_no_object_names_the_body(
    world: World, agent: ApiClient, raw: str, message: str
) -> None:
    problem = assert_problem(agent.post_json("/api/v1/tickets", raw), 422, field="body")
    assert message in problem["errors"][0]["message"].lower()


def test_unknown_fields_are_refused_by_name(world: World, agent: ApiClient, ticket: Ticket) -> None:
    before = Ticket.objects.count()
    body = {"subject": "x", "body": "y", "provider": world.support.party_id, "colour": "red"}
    assert_problem(agent.post_json("/api/v1/tickets", body), 422, field="colour")
    assert Ticket.objects.count() == before

    unchanged = snapshot(ticket)
    response = agent.patch_json(f"/api/v1/tickets/{ticket.pk}", {"subjct": "Renamed"})
    assert_problem(response, 422, field="subjct")
    assert snapshot(ticket) == unchanged

    admin = world.client("admin")
    response = admin.patch_json(f"/api/v1/people/{world.contact.pk}", {"is_superuser": True})
    assert_problem(response, 422, field="is_superuser")


def _ticket_body(world: World, **changes: Any) -> dict[str, Any]:
    return {"subject": "Help", "body": "Please", "provider": world.support.party_id, **changes}


SLOT = {"weekday": 9, "start": "09:00", "end": "17:00"}
# (id, method, path, body, the field at fault): {t} is a ticket, {sla} the Globex SLA, {cal}
# its calendar; a body for POST /tickets is a valid new ticket with those changes.
WRONG_TYPES: list[tuple[str, str, str, Any, str]] = [
    ("provider", "post", "/api/v1/tickets", {"provider": "support"}, "provider"),
    ("tags", "post", "/api/v1/tickets", {"tags": "vip"}, "tags"),
    ("channel", "post", "/api/v1/tickets", {"channel": "pigeon"}, "channel"),
    ("priority", "patch", "/api/v1/tickets/{t}", {"priority": "extreme"}, "priority"),
    ("subject", "patch", "/api/v1/tickets/{t}", {"subject": 5}, "subject"),
    (
        "internal",
        "post",
        "/api/v1/tickets/{t}/messages",
        {"body": "x", "internal": "?"},
        "internal",
    ),
    ("into", "post", "/api/v1/tickets/{t}/merge", {"into": [1]}, "into"),
    (
        "slot",
        "post",
        "/api/v1/calendars",
        {"name": "X", "weekly_hours": [SLOT]},
        "weekly_hours.0.weekday",
    ),
    ("email", "post", "/api/v1/people", {"username": "x", "email": "not-an-address"}, "email"),
    ("date", "patch", "/api/v1/agreements/{sla}", {"active_until": "next week"}, "active_until"),
    ("limit", "get", "/api/v1/tickets?limit=0", None, "limit"),
    ("sort", "get", "/api/v1/tickets?sort=colour", None, "sort"),
    ("since", "get", "/api/v1/tickets?updated_since=2024-13-45", None, "updated_since"),
    (
        "since-range",
        "get",
        "/api/v1/tickets?updated_since=0001-01-01T00:00%2B01:00",
        None,
        "updated_since",
    ),
    ("assignee", "get", "/api/v1/tickets?assignee=somebody", None, "assignee"),
    ("requester", "get", f"/api/v1/tickets?requester={TOO_BIG}", None, "requester"),
    ("client", "get", f"/api/v1/agreements?client={TOO_BIG}", None, "client"),
]


def _send(world: World, ticket: Ticket, method: str, path: str, body: Any) -> Any:
    admin = world.client("admin")
    path = path.format(t=ticket.pk, sla=world.sla.pk, cal=world.calendar.pk)
    if method == "get":
        return admin.get(path)
    if path == "/api/v1/tickets":
        body = _ticket_body(world, **body)
    return admin._json(method, path, body)


@pytest.mark.parametrize("offset", ["+16:00", "-23:59", "+00:00", ""])
def test_updated_since_takes_any_offset(world: World, ticket: Ticket, offset: str) -> None:
    """Python parses offsets up to ±23:59 and PostgreSQL stores up to ±15:59: both work."""
    admin = world.client("admin")
    response = admin.get("/api/v1/tickets", {"updated_since": f"2000-01-01T00:00:00{offset}"})
    assert response.status_code == 200, response.content
    assert [t["number"] for t in response.json()["items"]] == [ticket.pk]
    later = admin.get("/api/v1/tickets", {"updated_since": f"2999-01-01T00:00:00{offset}"})
    assert later.json()["items"] == []


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [c[1:] for c in WRONG_TYPES],
    ids=[c[0] for c in WRONG_TYPES],
)
def test_wrong_types_name_the_field(
    world: World, ticket: Ticket, method: str, path: str, body: Any, field: str
) -> None:
    before = (snapshot(ticket), Ticket.objects.count())
    assert_problem(_send(world, ticket, method, path, body), 422, field=field)
    assert (snapshot(ticket), Ticket.objects.count()) == before


NUL_SLOT = {"weekday": 1, "start": "09:00\x00", "end": "17:00"}
WITH_NUL: list[tuple[str, str, str, Any]] = [
    ("subject", "post", "/api/v1/tickets", {"subject": "Printer\x00"}),
    ("body", "post", "/api/v1/tickets/{t}/messages", {"body": "a\x00b"}),
    ("tag", "post", "/api/v1/tickets", {"tags": ["a\x00"]}),
    ("nested", "patch", "/api/v1/calendars/{cal}", {"weekly_hours": [NUL_SLOT]}),
    ("q-tag", "get", "/api/v1/tickets?tag=a%00b", None),
    ("q-status", "get", "/api/v1/tickets?status=new%00", None),
    ("q-people", "get", "/api/v1/people?q=%00", None),
    ("q-prefix", "get", "/api/v1/tags?prefix=%00", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), [c[1:] for c in WITH_NUL], ids=[c[0] for c in WITH_NUL]
)
def test_nul_characters_are_refused_on_every_database(
    world: World, ticket: Ticket, method: str, path: str, body: Any
) -> None:
    """PostgreSQL cannot store NUL and SQLite can: both refuse it the same way, up front."""
    before = (snapshot(ticket), Ticket.objects.count())
    problem = assert_problem(_send(world, ticket, method, path, body), 422)
    assert "nul" in json.dumps(problem).lower()
    assert problem["errors"][0]["field"]
    assert (snapshot(ticket), Ticket.objects.count()) == before


# --- sizes --------------------------------------------------------------------


def test_oversized_body_is_a_413(world: World, agent: ApiClient, ticket: Ticket) -> None:
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit is not None
    before = snapshot(ticket)
    body = json.dumps({"body": "x" * (limit + 1)})
    response = agent.post_json(f"/api/v1/tickets/{ticket.pk}/messages", body)
    assert_problem(response, 413, detail="too large")
    assert snapshot(ticket) == before


def test_oversized_upload_is_a_413_and_stores_nothing(
    world: World, agent: ApiClient, settings: Any
) -> None:
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1))
    response = agent.post("/api/v1/uploads", {"file": big})
    assert_problem(response, 413, field="file", detail="1 MiB")
    assert not Attachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_upload_without_a_file_or_with_an_empty_one(world: World, agent: ApiClient) -> None:
    assert_problem(agent.post("/api/v1/uploads", {}), 422, field="file")
    empty = SimpleUploadedFile("empty.txt", b"")
    assert_problem(agent.post("/api/v1/uploads", {"file": empty}), 422, field="file")
    assert not Attachment.objects.exists()


# --- unknown ids --------------------------------------------------------------

# A valid body for each operation that has one, so the 404 is the only thing wrong.
BODIES: dict[str, Callable[[World, dict[str, int]], Any]] = {
    "PATCH /api/v1/organisations/{org_id}": lambda w, ids: {"notes": "x"},
    "POST /api/v1/organisations/{org_id}/members": lambda w, ids: {"person": ids["person_id"]},
    "PATCH /api/v1/teams/{team_id}": lambda w, ids: {"name": "Renamed"},
    "PATCH /api/v1/mail/mailboxes/{mailbox_id}": lambda w, ids: {"name": "Renamed"},
    "POST /api/v1/teams/{team_id}/members": lambda w, ids: {"person": ids["person_id"]},
    "PATCH /api/v1/people/{person_id}": lambda w, ids: {"full_name": "X"},
    "PATCH /api/v1/calendars/{calendar_id}": lambda w, ids: {"name": "Renamed"},
    "PATCH /api/v1/agreements/{agreement_id}": lambda w, ids: {"name": "Renamed"},
    "PUT /api/v1/agreements/{agreement_id}/sla": lambda w, ids: {"warning_percents": [50]},
    "PATCH /api/v1/tickets/{number}": lambda w, ids: {"priority": "high"},
    "POST /api/v1/tickets/{number}/messages": lambda w, ids: {"body": "Hello"},
    "POST /api/v1/tickets/{number}/tags": lambda w, ids: {"tags": ["x"]},
    "POST /api/v1/tickets/{number}/merge": lambda w, ids: {"into": ids["other_ticket"]},
    "POST /api/v1/tickets/{number}/handoffs": lambda w, ids: {
        "provider": w.it.party_id,
        "subject": "Check the VPN",
        "note": "Please look",
    },
    "PUT /api/v1/agreements/{agreement_id}/survey": lambda w, ids: {"csat": True},
    "POST /api/v1/documents/{document_id}/versions": lambda w, ids: {
        "body": "x",
        "change_summary": "y",
    },
    "POST /api/v1/documents/{document_id}/citations": lambda w, ids: {"ticket": ids["number"]},
    "POST /api/v1/documents/{document_id}/exceptions": lambda w, ids: {
        "ticket": ids["number"],
        "why": "a",
        "instead": "b",
        "within_autonomy": True,
    },
    "POST /api/v1/documents/{document_id}/versions/{version_number}/transition": lambda w, ids: {
        "action": "submit"
    },
    "POST /api/v1/documents/{document_id}/versions/{version_number}/reviews": lambda w, ids: {
        "answer": "yes"
    },
    "POST /api/v1/documents/{document_id}/versions/{version_number}/signoffs": lambda w, ids: {
        "decision": "approved"
    },
    "POST /api/v1/documents/{document_id}/versions/{version_number}/acknowledge": (
        lambda w, ids: {}
    ),
    "POST /api/v1/proposals/{proposal_id}/decision": lambda w, ids: {
        "decision": "decline",
        "reason": "No",
    },
    "PATCH /api/v1/triggers/{rule_id}": lambda w, ids: {"name": "Renamed"},
    "PATCH /api/v1/automations/{rule_id}": lambda w, ids: {"name": "Renamed"},
    "PATCH /api/v1/macros/{macro_id}": lambda w, ids: {"title": "Renamed"},
    "PATCH /api/v1/webhooks/{webhook_id}": lambda w, ids: {"name": "Renamed"},
    "POST /api/v1/assessments/{assessment_id}/feedback": lambda w, ids: {"feedback": "x"},
    "POST /api/v1/assessments/{assessment_id}/scores": lambda w, ids: {"levels": {}},
    "POST /api/v1/candidates/{candidate_id}/decision": lambda w, ids: {
        "outcome": "hire",
        "reasons": "x",
    },
    "POST /api/v1/corrective-actions/{action_id}/cancel": lambda w, ids: {"reason": "x"},
    "POST /api/v1/corrective-actions/{action_id}/confirm": lambda w, ids: {},
    "POST /api/v1/problems/{problem_id}/close": lambda w, ids: {},
    "POST /api/v1/pulse/comments/{comment_id}/replies": lambda w, ids: {"text": "x"},
    "POST /api/v1/pulse/rounds/{round_id}/answers": lambda w, ids: {"enps": 1},
    "POST /api/v1/quality/disputes/{dispute_id}/decision": lambda w, ids: {"decision": "uphold"},
    "POST /api/v1/quality/reviews/{quality_review_id}/disputes": lambda w, ids: {"reason": "x"},
    "POST /api/v1/training/assignments/{assignment_id}/acknowledge": lambda w, ids: {},
    "POST /api/v1/training/assignments/{assignment_id}/attended": lambda w, ids: {},
    "POST /api/v1/training/plans/{plan_id}/assign": lambda w, ids: {"people": [ids["person_id"]]},
    "PUT /api/v1/quality/sharing/{org_id}": lambda w, ids: {"shared": True},
    "PUT /api/v1/reviews/{review_id}": lambda w, ids: {},
    "PUT /api/v1/documents/{document_id}/audience": lambda w, ids: {"all_staff": True},
    "PUT /api/v1/documents/{document_id}/approvers": lambda w, ids: {"approvers": []},
    "PUT /api/v1/documents/{document_id}/outside-customer-service": lambda w, ids: {
        "outside": False
    },
    "POST /api/v1/documents/{document_id}/cycle": lambda w, ids: {"action": "reconfirm"},
    "PUT /api/v1/documents/{document_id}/versions/{version_number}/check": lambda w, ids: {
        "questions": []
    },
    "PUT /api/v1/documents/{document_id}/vote": lambda w, ids: {"helpful": True},
    "POST /api/v1/exceptions/{exception_id}/decision": lambda w, ids: {"decision": "approve"},
    "PUT /api/v1/scorecards/weighted/{scorecard_id}/ratings": lambda w, ids: {
        "criterion": 1,
        "date": "2026-03-01",
        "score": 3,
    },
}


def _detail_paths() -> list[tuple[str, str]]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if "{" in path
    )


def _known_ids(world: World) -> dict[str, int]:
    ticket = world.ticket("contact")
    other = world.ticket("colleague")
    admin_token, _ = accounts.create_token(None, world.admin)
    reply = world.client("agent").post(
        "/api/v1/uploads", {"file": SimpleUploadedFile("a.txt", b"a")}
    )
    message = world.client("agent").post_json(
        f"/api/v1/tickets/{ticket.pk}/messages",
        {"body": "File", "attachments": [reply.json()["token"]]},
    )
    return {
        "number": ticket.pk,
        "other_ticket": other.pk,
        "org_id": world.customer.pk,
        "team_id": world.support.pk,
        "person_id": world.contact.pk,
        "calendar_id": world.calendar.pk,
        "agreement_id": world.sla.pk,
        "attachment_id": message.json()["attachments"][0]["id"],
        "token_id": admin_token.pk,
        **_mail_ids(world, ticket),
        **_policy_ids(world),
        **_automation_ids(world),
    }


def _automation_ids(world: World) -> dict[str, int]:
    tag_open = {"all": [{"field": "status", "op": "is", "value": "open"},
                        {"field": "tags", "op": "excludes", "value": "seen"}]}  # fmt: skip
    tag = [{"type": "add_tags", "value": ["seen"]}]
    rule = rules.create_rule(None, "trigger", {"name": "Tag", "conditions": tag_open,
                                               "actions": tag})  # fmt: skip
    macro = macros.create_macro(world.admin, {"title": "Hi", "body": "Hi",
                                              "visibility": "everyone"})  # fmt: skip
    hook = webhooks.create_webhook(None, {"name": "CRM", "url": "http://127.0.0.1:9/",
                                          "kinds": ["created"], "secret": "s" * 20})  # fmt: skip
    return {"rule_id": rule.pk, "macro_id": macro.pk, "webhook_id": hook.pk}


def _policy_ids(world: World) -> dict[str, int]:
    from rapport.policies import actions as policy_actions

    document = policy_actions.create_document(
        world.admin, kind="article", title="Printer help", body="Unplug it.",
        owner=world.admin, team=world.support,
    )  # fmt: skip
    policy_actions.publish(world.admin, document.versions.get())
    proposal = policy_actions.file_proposal(
        world.agent, document, what_is_wrong="a", why="b", proposed_fix="c"
    )
    procedure = policy_actions.create_document(
        world.admin, kind="procedure", title="Printer fires", body="1. Unplug it.",
        owner=world.admin, team=world.support,
    )  # fmt: skip
    steps = procedure.versions.get()
    policy_actions.submit(world.admin, steps)
    policy_actions.record_review(world.lead, steps, answer="yes", customer_view="Safe",
                                 new_hire_can_follow=True)  # fmt: skip
    policy_actions.approve(world.admin, steps)
    policy_actions.publish(world.admin, steps)
    exception = policy_actions.record_exception(
        world.agent, world.ticket("contact"), procedure, why="a", instead="b",
        within_autonomy=False, approver=world.admin,
    )  # fmt: skip
    return {"document_id": document.pk, "version_number": 1, "proposal_id": proposal.pk,
            "exception_id": exception.pk}  # fmt: skip


def _mail_ids(world: World, ticket: Ticket) -> dict[str, int]:
    """A message that came by e-mail, and a quarantined one."""
    from rapport.mail.testing import build, deliver, support_mailbox

    mailbox = support_mailbox(world)
    mailed = deliver(build(subject=f"Re: [#{ticket.pk}] Printer on fire"), mailbox)
    stranger = deliver(build(sender="stranger@nowhere.example"), mailbox)
    assert mailed.message_id is not None and stranger.state == "quarantined"
    return {"message_id": mailed.message_id, "inbound_id": stranger.pk, "mailbox_id": mailbox.pk}


@pytest.mark.parametrize("unknown", [UNKNOWN, TOO_BIG, 0], ids=["unknown", "too-big", "zero"])
def test_unknown_ids_on_every_detail_path_are_404(world: World, unknown: int) -> None:
    admin = world.client("admin")  # sees everything: a 404 here means "does not exist"
    ids = _known_ids(world)
    failures = []
    for method, template in _detail_paths():
        label = f"{method} {template}"
        params = [p.strip("{}") for p in template.split("/") if p.startswith("{")]
        for param in params:
            if param == "tag":
                continue  # a tag is a name, not an id: removing an absent one is a no-op
            values = {p: ids.get(p, "vip") for p in params} | {param: unknown}
            path = template.format(**values)
            body = BODIES[label](world, ids) if label in BODIES else None
            if body is None:
                response = getattr(admin, method.lower())(path)
            else:
                response = admin._json(method.lower(), path, body)
            try:
                assert_problem(response, 404)
            except AssertionError as exc:
                failures.append(f"{label} with {param}={unknown}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda w: ("/api/v1/tickets", _ticket_body(w, provider=UNKNOWN)), "provider"),
        (lambda w: ("/api/v1/tickets", _ticket_body(w, requester=UNKNOWN)), "requester"),
        (lambda w: ("/api/v1/tickets", _ticket_body(w, client=TOO_BIG)), "client"),
        (lambda w: ("/api/v1/tickets", _ticket_body(w, parent=UNKNOWN)), "parent"),
        (lambda w: ("/api/v1/tickets", _ticket_body(w, assignee=UNKNOWN)), "assignee"),
        (lambda w: (f"/api/v1/teams/{w.support.pk}/members", {"person": UNKNOWN}), "person"),
        (
            lambda w: (
                "/api/v1/agreements",
                {
                    "name": "X",
                    "kind": "sla",
                    "provider": w.it.party_id,
                    "client": w.customer.party_id,
                    "calendar": UNKNOWN,
                    "active_from": "2024-01-01",
                },
            ),
            "calendar",
        ),
    ],
    ids=["provider", "requester", "client", "parent", "assignee", "person", "calendar"],
)
def test_unknown_ids_in_a_body_are_404_naming_the_field(
    world: World, make: Callable[[World], tuple[str, Any]], field: str
) -> None:
    path, body = make(world)
    before = Ticket.objects.count()
    assert_problem(world.client("admin").post_json(path, body), 404, field=field)
    assert Ticket.objects.count() == before


def test_merge_into_an_unknown_ticket_changes_nothing(agent: ApiClient, ticket: Ticket) -> None:
    before = snapshot(ticket)
    response = agent.post_json(f"/api/v1/tickets/{ticket.pk}/merge", {"into": UNKNOWN})
    assert_problem(response, 404, detail=f"#{UNKNOWN}")
    assert snapshot(ticket) == before


# --- cursors --------------------------------------------------------------------


def _cursor(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        _cursor("not a list"),
        _cursor(["2024-01-01T00:00:00+00:00"]),
        _cursor(["yesterday", 1]),
        _cursor(["2024-01-01T00:00:00+00:00", "one"]),
        _cursor([{"a": 1}, [2]]),
        _cursor(["2024-01-01T00:00:00+00:00", TOO_BIG]),
    ],
    ids=["not-base64", "not-a-list", "short", "bad-date", "bad-id", "objects", "huge-id"],
)
def test_a_bad_cursor_is_a_422_on_the_cursor(world: World, ticket: Ticket, cursor: str) -> None:
    admin = world.client("admin")
    for path in (
        "/api/v1/tickets",
        f"/api/v1/tickets/{ticket.pk}/messages",
        f"/api/v1/tickets/{ticket.pk}/events",
    ):
        response = admin.get(path, {"cursor": cursor})
        assert_problem(response, 422, field="cursor", detail="cursor")


@pytest.mark.parametrize(
    "cursor",
    [_cursor(["x", 1]), _cursor([1.5, 1]), _cursor([None, 1]), _cursor([TOO_BIG, TOO_BIG])],
    ids=["text", "float", "null", "huge"],
)
def test_a_bad_cursor_on_an_id_ordered_list_is_a_422(world: World, cursor: str) -> None:
    admin = world.client("admin")
    for path in ("/api/v1/people", "/api/v1/organisations", "/api/v1/agreements"):
        response = admin.get(path, {"cursor": cursor})
        if response.status_code == 200:
            assert response.json()["items"] == [], path  # past the end
            continue
        assert_problem(response, 422, field="cursor", detail="cursor")


def test_an_overlong_cursor_is_refused_by_the_schema(world: World) -> None:
    response = world.client("admin").get("/api/v1/tickets", {"cursor": "x" * 201})
    assert_problem(response, 422, field="cursor")


def test_a_very_long_cursor_is_a_problem_with_the_limit(world: World) -> None:
    # Past the app's limit and short of the web server's own (`rapport serve` sets
    # gunicorn's --limit-request-line to 8190): a problem document, not an HTML 414.
    response = world.client("admin").get("/api/v1/tickets", {"cursor": "x" * 6000})
    assert_problem(response, 414, field="query", detail="the limit is 4000")


def test_serve_leaves_room_above_the_apps_limit() -> None:
    from rapport.core.api_input import MAX_QUERY_STRING
    from rapport.core.management.commands import serve

    source = Path(serve.__file__).read_text()
    assert '"--limit-request-line", "8190"' in source
    assert MAX_QUERY_STRING + len("GET /api/v1/tickets? HTTP/1.1") < 8190


# --- authentication ---------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer nope",
        f"Bearer rpt_{'x' * 43}",
        f"Bearer rpt_{'x' * 200}",
        "Basic YQ==",
        "Bearer",
        "",
    ],
    ids=["garbage", "well-formed", "overlong", "basic", "no-key", "empty"],
)
def test_a_bogus_bearer_token_is_a_401(world: World, authorization: str) -> None:
    client = ApiClient(HTTP_AUTHORIZATION=authorization)
    for response in (client.get("/api/v1/me"), client.post_json("/api/v1/tokens", {})):
        assert_problem(response, 401, detail="bearer")
    assert ApiToken.objects.count() == 0


def test_a_revoked_token_is_a_401(world: World) -> None:
    token, key = accounts.create_token(None, world.agent)
    client = ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/me").status_code == 200
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 204
    assert_problem(client.get("/api/v1/me"), 401, detail="bearer")
    assert_problem(client.delete(f"/api/v1/tokens/{token.pk}"), 401)


def test_a_deactivated_persons_token_is_a_401(world: World) -> None:
    client = world.client("agent")
    directory.update_person(None, world.agent, is_active=False)
    assert_problem(client.get("/api/v1/tickets"), 401)


# --- failed writes leave everything as it was ------------------------------------------


@pytest.mark.parametrize(
    ("patch", "status", "field"),
    [
        ({"subject": "Renamed", "status": "no-such-status"}, 422, "status"),
        ({"subject": "Renamed", "priority": "high", "assignee": "contact"}, 422, "assignee"),
        ({"subject": "Renamed", "assignee": UNKNOWN}, 404, "assignee"),
        ({"subject": "Renamed", "priority": "extreme"}, 422, "priority"),
        ({"subject": "   "}, 422, "subject"),
        ({"subject": "x" * 301}, 422, "subject"),
        ({}, 422, None),
    ],
    ids=["status", "assignee-not-staff", "assignee-unknown", "priority", "blank", "long", "empty"],
)
def test_a_failed_patch_leaves_the_ticket_as_it_was(
    world: World, agent: ApiClient, ticket: Ticket, patch: dict[str, Any], status: int, field: str
) -> None:
    if patch.get("assignee") == "contact":
        patch = {**patch, "assignee": world.contact.pk}
    before = snapshot(ticket)
    response = agent.patch_json(f"/api/v1/tickets/{ticket.pk}", patch)
    assert_problem(response, status, field=field)
    assert snapshot(ticket) == before
    assert agent.get(f"/api/v1/tickets/{ticket.pk}").json()["subject"] == "Printer on fire"


def test_a_failed_reply_stores_no_message(world: World, agent: ApiClient, ticket: Ticket) -> None:
    path = f"/api/v1/tickets/{ticket.pk}/messages"
    before = snapshot(ticket)
    assert_problem(agent.post_json(path, {"body": "Hi", "status": "nope"}), 422, field="status")
    for bogus in ("not-a-token", "", "0" * 32, "g" * 32):
        response = agent.post_json(path, {"body": "Hi", "attachments": [bogus]})
        assert_problem(response, 422, field="attachments")
    assert_problem(agent.post_json(path, {"body": "<p> </p>", "body_is_html": True}), 422)
    contact = world.client("contact")
    response = contact.post_json(path, {"body": "psst", "internal": True})
    assert_problem(response, 403, detail="staff")
    assert snapshot(ticket) == before


def test_a_failed_directory_or_calendar_change_keeps_the_old_values(world: World) -> None:
    admin = world.client("admin")
    response = admin.patch_json(
        f"/api/v1/people/{world.colleague.pk}", {"full_name": "Renamed", "password": "123"}
    )
    assert_problem(response, 422, field="password")
    world.colleague.refresh_from_db()
    assert world.colleague.full_name == "Colleague"
    assert world.colleague.check_password("Correct-horse-42")

    response = admin.patch_json(
        f"/api/v1/calendars/{world.calendar.pk}", {"name": "Nights", "time_zone": "Mars/Olympus"}
    )
    assert_problem(response, 422, field="time_zone", detail="Mars/Olympus")
    world.calendar.refresh_from_db()
    assert (world.calendar.name, world.calendar.time_zone) == ("Berlin office", "Europe/Berlin")

    response = admin.patch_json(
        f"/api/v1/agreements/{world.sla.pk}", {"name": "Renamed", "calendar": UNKNOWN}
    )
    assert_problem(response, 404, field="calendar")
    world.sla.refresh_from_db()
    assert world.sla.name == "Globex support"

    response = admin.patch_json(f"/api/v1/organisations/{world.customer.pk}", {"name": "Initech"})
    assert_problem(response, 409, field="name", detail="Initech")
    world.customer.refresh_from_db()
    assert world.customer.name == "Globex"


# --- HTML sanitising ---------------------------------------------------------------------

HOSTILE = (
    "<p>Hello <b>there</b></p>"
    "<script>alert(1)</script>"
    "<img src=x onerror=alert(1)>"
    '<a href="javascript:alert(2)" onclick="alert(3)">click</a>'
    '<iframe src="https://evil.example"></iframe>'
    '<p style="background:url(javascript:alert(4))">styled</p>'
)


def _assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "alert("):
        assert bad not in lowered, html
    assert "<b>there</b>" in html
    assert '<img src="x">' in html


def test_a_hostile_html_reply_is_sanitised(world: World, ticket: Ticket) -> None:
    contact = world.client("contact")
    response = contact.post_json(
        f"/api/v1/tickets/{ticket.pk}/messages", {"body": HOSTILE, "body_is_html": True}
    )
    assert response.status_code == 201, response.content
    _assert_clean(response.json()["body_html"])
    assert "alert" not in response.json()["body_text"]
    for role in ("agent", "contact"):
        thread = world.client(role).get(f"/api/v1/tickets/{ticket.pk}/messages").json()["items"]
        _assert_clean(thread[-1]["body_html"])


def test_a_hostile_html_ticket_is_sanitised(world: World) -> None:
    body = _ticket_body(world, body=HOSTILE, body_is_html=True)
    response = world.client("contact").post_json("/api/v1/tickets", body)
    assert response.status_code == 201, response.content
    _assert_clean(response.json()["messages"][0]["body_html"])


def test_plain_text_that_looks_like_html_is_escaped(world: World, ticket: Ticket) -> None:
    response = world.client("contact").post_json(
        f"/api/v1/tickets/{ticket.pk}/messages", {"body": "<script>alert(1)</script>"}
    )
    assert response.status_code == 201
    assert response.json()["body_html"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert response.json()["body_text"] == "<script>alert(1)</script>"


# --- routes and methods ---------------------------------------------------------------------


def test_unknown_route_and_wrong_method_are_problems(world: World, ticket: Ticket) -> None:
    admin = world.client("admin")
    assert_problem(admin.get("/api/v1/no-such-thing"), 404)
    response = admin.put(f"/api/v1/tickets/{ticket.pk}", "{}", content_type="application/json")
    assert_problem(response, 405)
    assert "PATCH" in response["Allow"]


# --- out-of-range values, media types, malformed multipart ------------------------

EXTREMES = [
    "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59Z", "1899-12-31T00:00:00Z", "3000-01-01T00:00:00Z",
]  # fmt: skip


@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/tickets", "updated_since"),
        ("/api/v1/attainment", "since"),
        ("/api/v1/attainment", "until"),
        ("/api/v1/calendars/{calendar}/preview", "start"),
        ("/api/v1/agreements/{agreement}/preview", "at"),
    ],
)
def test_out_of_range_times_in_a_query_are_422(
    world: World, path: str, name: str, value: str
) -> None:
    url = path.format(calendar=world.calendar.pk, agreement=world.sla.pk)
    assert_problem(world.client("admin").get(url, {name: value}), 422, field=name)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_out_of_range_dates_in_a_body_are_422_and_change_nothing(world: World, value: str) -> None:
    admin = world.client("admin")
    url = f"/api/v1/agreements/{world.sla.pk}"
    before = (world.sla.active_from, world.sla.active_until)
    for field in ("active_from", "active_until"):
        assert_problem(admin.patch_json(url, {field: value}), 422, field=field)
    response = admin.patch_json(
        f"/api/v1/calendars/{world.calendar.pk}",
        {"closed_dates": [{"start": "2026-01-01", "end": value}]},
    )
    assert_problem(response, 422, field="closed_dates.0.end")
    world.sla.refresh_from_db()
    assert (world.sla.active_from, world.sla.active_until) == before
    world.calendar.refresh_from_db()
    assert world.calendar.closed_dates == []


def test_overflowing_numbers_are_422(world: World) -> None:
    admin = world.client("admin")
    response = admin.get(f"/api/v1/calendars/{world.calendar.pk}/preview", {"minutes": 2**70})
    assert_problem(response, 422, field="minutes")
    assert_problem(admin.get("/api/v1/tickets", {"limit": 2**70}), 422, field="limit")


def test_a_json_body_sent_as_text_is_415_and_stores_nothing(world: World) -> None:
    agent = world.client("agent")
    before = Ticket.objects.count()
    body = json.dumps({"subject": "Printer", "body": "On fire", "requester": world.contact.pk})
    for media in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = agent.post("/api/v1/tickets", data=body, content_type=media)
        assert_problem(response, 415, detail="application/json")
    assert Ticket.objects.count() == before


def test_a_json_media_type_with_parameters_or_a_suffix_is_read(world: World) -> None:
    agent = world.client("agent")
    response = agent.patch(
        f"/api/v1/tickets/{world.ticket('contact').pk}", data=json.dumps({"priority": "high"}),
        content_type="application/json; charset=utf-8",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    response = agent.patch(
        f"/api/v1/tickets/{world.ticket('contact').pk}", data=json.dumps({"priority": "high"}),
        content_type="application/merge-patch+json",
    )  # fmt: skip
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\x00"],
)
def test_a_multipart_upload_without_a_usable_boundary_is_400(
    world: World, content_type: str
) -> None:
    agent = world.client("agent")
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        b"hi\r\n--x--\r\n"
    )
    response = agent.generic("POST", "/api/v1/uploads", data=body, content_type=content_type)
    assert_problem(response, 400)
    assert not Attachment.objects.exists()
