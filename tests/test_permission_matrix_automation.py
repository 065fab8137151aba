"""Who may do what with triggers, automations, macros and webhooks through the API.

Admins manage rules and webhooks (others: 403 on the collections, 404 on an object);
staff use the macros shared with them and apply them to tickets they work; clients,
employees and vendor or contractor users see none. test_permission_matrix.py
checks that these rows and its own cover every operation once.
"""

from __future__ import annotations

from typing import Any

import pytest

from rapport.automation.actions import macros, rules, webhooks
from test_permission_matrix import (
    EVERYONE,
    STAFF,
    SUPPORT_STAFF,
    Case,
    Ctx,
    admin_only,
    outcomes,
    run_operation,
)

SECRET = "matrix-secret-never-shown"
TAG = [{"field": "status", "op": "is", "value": "open"},
       {"field": "tags", "op": "excludes", "value": "seen"}]  # fmt: skip
ACTIONS = [{"type": "add_tags", "value": ["seen"]}]
ADMIN_OBJECT = outcomes((200, ["admin"]))  # everyone else: 404


def objects(x: Ctx) -> None:
    admin = x.world.admin
    x.trigger = rules.create_rule(
        admin,
        "trigger",
        {  # type: ignore[attr-defined]
            "name": "T",
            "conditions": {"all": TAG},
            "actions": ACTIONS,
        },
    ).pk
    x.automation = rules.create_rule(
        admin,
        "automation",
        {  # type: ignore[attr-defined]
            "name": "A",
            "conditions": {"all": TAG},
            "actions": ACTIONS,
        },
    ).pk
    x.macro = macros.create_macro(
        admin,
        {  # type: ignore[attr-defined]
            "title": "Hello",
            "body": "Hi {{ requester.first_name }}",
            "visibility": "everyone",
        },
    ).pk
    x.webhook = webhooks.create_webhook(admin, {  # type: ignore[attr-defined]
        "name": "CRM", "url": "http://127.0.0.1:9/hook", "kinds": ["created"],
        "secret": SECRET}).pk  # fmt: skip


def no_secret(role: str, body: Any, ctx: Ctx) -> None:
    assert SECRET not in repr(body)


def rule_in(name: str) -> dict[str, Any]:
    return {"name": name, "conditions": {"all": TAG}, "actions": ACTIONS}


def check_dry_run(role: str, body: Any, ctx: Ctx) -> None:
    assert body["count"] == len(body["tickets"]) >= 1


def check_macros(role: str, body: Any, ctx: Ctx) -> None:
    assert [m["title"] for m in body] == ["Hello"]


def check_applied(role: str, body: Any, ctx: Ctx) -> None:
    assert body["text"] == "Hi Contact" and body["macro"]["usage_count"] == 1


MACRO_USERS = outcomes((200, STAFF))  # everyone else: 404
MACRO_OWNERS = outcomes((200, ["admin"]), (403, [r for r in STAFF if r != "admin"]))

MATRIX: dict[str, list[Case]] = {}
for plural in ("triggers", "automations"):
    attr = plural[:-1]

    def rid(x: Ctx, attr: str = attr) -> int:
        return int(getattr(x, attr))

    MATRIX.update({
        f"GET /api/v1/{plural}": [
            Case(lambda c, x, p=plural: c.get(f"/api/v1/{p}"), admin_only(200), prepare=objects)],
        f"POST /api/v1/{plural}": [
            Case(lambda c, x, p=plural: c.post_json(f"/api/v1/{p}", rule_in("New")),
                 admin_only(201))],
        f"POST /api/v1/{plural}/dry-run": [
            Case(lambda c, x, p=plural: c.post_json(f"/api/v1/{p}/dry-run",
                                                    {"conditions": {"all": TAG}}),
                 admin_only(200), check_dry_run)],
        f"GET /api/v1/{plural}/{{rule_id}}": [
            Case(lambda c, x, p=plural, r=rid: c.get(f"/api/v1/{p}/{r(x)}"), ADMIN_OBJECT,
                 prepare=objects)],
        f"PATCH /api/v1/{plural}/{{rule_id}}": [
            Case(lambda c, x, p=plural, r=rid: c.patch_json(f"/api/v1/{p}/{r(x)}",
                                                            {"name": "Renamed"}),
                 ADMIN_OBJECT, prepare=objects)],
        f"DELETE /api/v1/{plural}/{{rule_id}}": [
            Case(lambda c, x, p=plural, r=rid: c.delete(f"/api/v1/{p}/{r(x)}"),
                 outcomes((204, ["admin"])), prepare=objects)],
    })  # fmt: skip

MATRIX.update({
    "GET /api/v1/macros": [
        Case(lambda c, x: c.get("/api/v1/macros"), outcomes((200, STAFF), rest=403),
             check_macros, prepare=objects)],
    "POST /api/v1/macros": [
        Case(lambda c, x: c.post_json("/api/v1/macros", {"title": "Mine", "body": "Hi"}),
             outcomes((201, STAFF), rest=403))],
    "GET /api/v1/macros/{macro_id}": [
        Case(lambda c, x: c.get(f"/api/v1/macros/{x.macro}"),  # type: ignore[attr-defined]
             MACRO_USERS, prepare=objects)],
    "PATCH /api/v1/macros/{macro_id}": [
        Case(lambda c, x: c.patch_json(f"/api/v1/macros/{x.macro}",  # type: ignore[attr-defined]
                                       {"title": "Renamed"}), MACRO_OWNERS, prepare=objects)],
    "DELETE /api/v1/macros/{macro_id}": [
        Case(lambda c, x: c.delete(f"/api/v1/macros/{x.macro}"),  # type: ignore[attr-defined]
             outcomes((204, ["admin"]), (403, [r for r in STAFF if r != "admin"])),
             prepare=objects)],
    "POST /api/v1/macros/{macro_id}/apply/{number}": [
        Case(lambda c, x: c.post_json(
                f"/api/v1/macros/{x.macro}/apply/{x.n('contact')}"),  # type: ignore[attr-defined]
             outcomes((200, SUPPORT_STAFF)), check_applied, prepare=objects)],
    "GET /api/v1/webhooks": [
        Case(lambda c, x: c.get("/api/v1/webhooks"), admin_only(200), no_secret,
             prepare=objects)],
    "POST /api/v1/webhooks": [
        Case(lambda c, x: c.post_json("/api/v1/webhooks", {
                "name": "New", "url": "http://127.0.0.1:9/x", "kinds": ["reply"],
                "secret": SECRET}), admin_only(201), no_secret)],
    "GET /api/v1/webhooks/{webhook_id}": [
        Case(lambda c, x: c.get(f"/api/v1/webhooks/{x.webhook}"),  # type: ignore[attr-defined]
             ADMIN_OBJECT, no_secret, prepare=objects)],
    "PATCH /api/v1/webhooks/{webhook_id}": [
        Case(lambda c, x: c.patch_json(f"/api/v1/webhooks/{x.webhook}",  # type: ignore[attr-defined]
                                       {"name": "CRM 2"}), ADMIN_OBJECT, no_secret,
             prepare=objects)],
    "DELETE /api/v1/webhooks/{webhook_id}": [
        Case(lambda c, x: c.delete(f"/api/v1/webhooks/{x.webhook}"),  # type: ignore[attr-defined]
             outcomes((204, ["admin"])), prepare=objects)],
    "GET /api/v1/webhooks/{webhook_id}/deliveries": [
        Case(lambda c, x: c.get(f"/api/v1/webhooks/{x.webhook}/deliveries"),  # type: ignore[attr-defined]
             ADMIN_OBJECT, no_secret, prepare=objects)],
})  # fmt: skip


def test_every_case_names_every_role() -> None:
    for operation, cases in MATRIX.items():
        for case in cases:
            assert set(case.expect) == set(EVERYONE), operation


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)
