"""Triggers, automations, macros and webhooks over HTTP.

Rules and webhooks are the admins' (others: 403 on the collections, 404 on an
object); macros are for staff, each seeing the ones shared with them; clients and
vendor users see none. A webhook's secret is write-only: no answer carries it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.automation import queries
from rapport.automation.actions import macros as macro_actions
from rapport.automation.actions import rules as rule_actions
from rapport.automation.actions import webhooks as webhook_actions
from rapport.automation.models import Delivery, Macro, Rule, Webhook
from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.schemas import MAX_ID, Input
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.tickets import queries as ticket_queries

router = Router(tags=["automation"])


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _admin_or_404(request: HttpRequest, what: str) -> Person:
    me = _me(request)
    if not scope_for(me).is_admin:
        raise NotFound(f"There is no {what} you can see.")
    return me


# --- rules -------------------------------------------------------------------------


class RuleOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    position: int
    is_active: bool
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    max_per_hour: int
    hit_count: int
    last_run_at: datetime | None
    owner: int


class RuleIn(Input):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    conditions: dict[str, Any]
    actions: list[dict[str, Any]] = Field(max_length=20)
    max_per_hour: int = Field(default=3, ge=1, le=100)
    is_active: bool = True


class RulePatch(Input):
    name: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    conditions: dict[str, Any] | None = None
    actions: list[dict[str, Any]] | None = Field(default=None, max_length=20)
    max_per_hour: int | None = Field(default=None, ge=1, le=100)
    is_active: bool | None = None
    position: int | None = Field(default=None, ge=0, le=100_000)


class DryRunIn(Input):
    conditions: dict[str, Any]


class TicketRef(Schema):
    number: int
    subject: str
    status: str
    priority: str


class DryRunOut(Schema):
    count: int
    tickets: list[TicketRef]


def rule_out(r: Rule) -> dict[str, Any]:
    return {
        "id": r.pk, "kind": r.kind, "name": r.name, "description": r.description,
        "position": r.position, "is_active": r.is_active, "conditions": r.conditions,
        "actions": r.actions, "max_per_hour": r.max_per_hour, "hit_count": r.hit_count,
        "last_run_at": r.last_run_at, "owner": r.owner_id,
    }  # fmt: skip


def _rule_routes(kind: str, plural: str) -> None:
    def list_rules(request: HttpRequest) -> list[dict[str, Any]]:
        queries.require_admin(_me(request))
        return [rule_out(r) for r in queries.rules(kind)]

    def create(request: HttpRequest, payload: RuleIn) -> HttpStatus[dict[str, Any]]:
        rule = rule_actions.create_rule(_me(request), kind, payload.model_dump())
        return HttpStatus(201, rule_out(rule))

    def dry_run(request: HttpRequest, payload: DryRunIn) -> dict[str, Any]:
        queries.require_admin(_me(request))
        return queries.dry_run(kind, payload.conditions)

    def get(request: HttpRequest, rule_id: int) -> dict[str, Any]:
        _admin_or_404(request, kind)
        return rule_out(queries.rule(_me(request), kind, rule_id))

    def patch(request: HttpRequest, rule_id: int, payload: RulePatch) -> dict[str, Any]:
        _admin_or_404(request, kind)
        rule = queries.rule(_me(request), kind, rule_id)
        return rule_out(rule_actions.update_rule(_me(request), rule, payload.model_dump()))

    def delete(request: HttpRequest, rule_id: int) -> HttpStatus[None]:
        _admin_or_404(request, kind)
        rule_actions.delete_rule(_me(request), queries.rule(_me(request), kind, rule_id))
        return HttpStatus(204, None)

    title = kind.capitalize()
    for fn in (list_rules, create, dry_run, get, patch, delete):
        fn.__name__ = f"{fn.__name__}_{kind}"
    router.get(f"/{plural}", response=list[RuleOut], summary=f"{title}s, in order (admins)")(
        list_rules
    )
    router.post(f"/{plural}", response={201: RuleOut}, summary=f"A new {kind} (admins)")(create)
    router.post(
        f"/{plural}/dry-run", response=DryRunOut,
        summary=f"Which current tickets these {kind} conditions match now",
    )(dry_run)  # fmt: skip
    router.get(f"/{plural}/{{rule_id}}", response=RuleOut, summary=f"One {kind}")(get)
    router.patch(f"/{plural}/{{rule_id}}", response=RuleOut, summary=f"Change a {kind}")(patch)
    router.delete(f"/{plural}/{{rule_id}}", response={204: None},
                  summary=f"Delete a {kind}")(delete)  # fmt: skip


_rule_routes("trigger", "triggers")
_rule_routes("automation", "automations")


# --- macros ------------------------------------------------------------------------


class MacroOut(Schema):
    id: int
    title: str
    shortcut: str
    body: str
    actions: list[dict[str, Any]]
    visibility: str
    team: int | None
    owner: int
    document: int | None
    document_version: int | None
    needs_review: str
    usage_count: int


class MacroIn(Input):
    title: str = Field(max_length=120)
    shortcut: str = Field(default="", max_length=40)
    body: str = Field(default="", max_length=20_000)
    actions: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    visibility: Literal["personal", "team", "everyone"] = "personal"
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    document: int | None = Field(default=None, ge=1, le=MAX_ID)


class MacroPatch(Input):
    title: str | None = Field(default=None, max_length=120)
    shortcut: str | None = Field(default=None, max_length=40)
    body: str | None = Field(default=None, max_length=20_000)
    actions: list[dict[str, Any]] | None = Field(default=None, max_length=20)
    visibility: Literal["personal", "team", "everyone"] | None = None
    team: int | None = Field(default=None, ge=1, le=MAX_ID)
    document: int | None = Field(default=None, ge=1, le=MAX_ID)


class MacroFilters(Schema):
    q: str = Field(default="", max_length=100)
    limit: int = Field(default=20, ge=1, le=100)


class AppliedOut(Schema):
    text: str
    macro: MacroOut


def macro_out(m: Macro) -> dict[str, Any]:
    return {
        "id": m.pk, "title": m.title, "shortcut": m.shortcut, "body": m.body,
        "actions": m.actions, "visibility": m.visibility, "team": m.team_id,
        "owner": m.owner_id, "document": m.document_id,
        "document_version": m.document_version, "needs_review": queries.macro_flag(m),
        "usage_count": m.usage_count,
    }  # fmt: skip


def _staff(request: HttpRequest) -> Person:
    me = _me(request)
    if not scope_for(me).is_staff:
        raise PermissionDenied("Macros are for staff.")
    return me


@router.get("/macros", response=list[MacroOut], summary="The macros shared with you (staff)")
def list_macros(request: HttpRequest, filters: Query[MacroFilters]) -> list[dict[str, Any]]:
    me = _staff(request)
    return [macro_out(m) for m in queries.search_macros(me, filters.q, filters.limit)]


@router.post("/macros", response={201: MacroOut}, summary="A new macro (staff)")
def create_macro(request: HttpRequest, payload: MacroIn) -> HttpStatus[dict[str, Any]]:
    macro = macro_actions.create_macro(_staff(request), payload.model_dump())
    return HttpStatus(201, macro_out(queries.macro(_me(request), macro.pk)))


@router.get("/macros/{macro_id}", response=MacroOut, summary="One macro")
def get_macro(request: HttpRequest, macro_id: int) -> dict[str, Any]:
    return macro_out(queries.macro(_me(request), macro_id))


@router.patch("/macros/{macro_id}", response=MacroOut, summary="Change a macro")
def update_macro(request: HttpRequest, macro_id: int, payload: MacroPatch) -> dict[str, Any]:
    macro = queries.macro(_me(request), macro_id)
    macro_actions.update_macro(_me(request), macro, payload.model_dump())
    return macro_out(queries.macro(_me(request), macro_id))


@router.delete("/macros/{macro_id}", response={204: None}, summary="Delete a macro")
def delete_macro(request: HttpRequest, macro_id: int) -> HttpStatus[None]:
    macro_actions.delete_macro(_me(request), queries.macro(_me(request), macro_id))
    return HttpStatus(204, None)


@router.post(
    "/macros/{macro_id}/apply/{number}", response=AppliedOut,
    summary="Apply a macro to a ticket: its field actions run, its text is returned",
)  # fmt: skip
def apply_macro(request: HttpRequest, macro_id: int, number: int) -> dict[str, Any]:
    me = _me(request)
    macro = queries.macro(me, macro_id)
    ticket = ticket_queries.get_ticket(scope_for(me), number)
    text = macro_actions.apply_macro(me, macro, ticket)
    return {"text": text, "macro": macro_out(queries.macro(me, macro_id))}


# --- webhooks ------------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    kinds: list[str]
    owner: int
    is_active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str
    created_at: datetime


class WebhookIn(Input):
    name: str = Field(max_length=120)
    url: str = Field(max_length=500)
    kinds: list[str] = Field(min_length=1, max_length=40)
    secret: str = Field(
        min_length=16, max_length=200, description="Write-only: you keep it to verify signatures"
    )


class WebhookPatch(Input):
    name: str | None = Field(default=None, max_length=120)
    url: str | None = Field(default=None, max_length=500)
    kinds: list[str] | None = Field(default=None, min_length=1, max_length=40)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    is_active: bool | None = None


class DeliveryOut(Schema):
    id: int
    event: int
    kind: str
    state: str
    attempts: int
    response_code: int | None
    latency_ms: int | None
    error: str
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryFilters(Schema):
    limit: int = Field(default=50, ge=1, le=200)


def webhook_out(h: Webhook) -> dict[str, Any]:
    return {
        "id": h.pk, "name": h.name, "url": h.url, "kinds": h.kinds, "owner": h.owner_id,
        "is_active": h.is_active, "consecutive_failures": h.consecutive_failures,
        "disabled_at": h.disabled_at, "disabled_reason": h.disabled_reason,
        "created_at": h.created_at,
    }  # fmt: skip


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk, "event": d.event_id, "kind": d.payload.get("event", {}).get("kind", ""),
        "state": d.state, "attempts": d.attempts, "response_code": d.response_code,
        "latency_ms": d.latency_ms, "error": d.error, "next_attempt_at": d.next_attempt_at,
        "created_at": d.created_at, "updated_at": d.updated_at,
    }  # fmt: skip


@router.get("/webhooks", response=list[WebhookOut], summary="Webhook subscriptions (admins)")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    queries.require_admin(_me(request))
    return [webhook_out(h) for h in queries.webhooks()]


@router.post("/webhooks", response={201: WebhookOut}, summary="Subscribe a URL (admins)")
def create_webhook(request: HttpRequest, payload: WebhookIn) -> HttpStatus[dict[str, Any]]:
    hook = webhook_actions.create_webhook(_me(request), payload.model_dump())
    return HttpStatus(201, webhook_out(hook))


@router.get("/webhooks/{webhook_id}", response=WebhookOut, summary="One webhook")
def get_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    _admin_or_404(request, "webhook")
    return webhook_out(queries.webhook(_me(request), webhook_id))


@router.patch(
    "/webhooks/{webhook_id}", response=WebhookOut,
    summary="Change a webhook (is_active true re-enables one that was disabled)",
)  # fmt: skip
def update_webhook(request: HttpRequest, webhook_id: int, payload: WebhookPatch) -> dict[str, Any]:
    _admin_or_404(request, "webhook")
    hook = queries.webhook(_me(request), webhook_id)
    return webhook_out(webhook_actions.update_webhook(_me(request), hook, payload.model_dump()))


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Delete a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> HttpStatus[None]:
    _admin_or_404(request, "webhook")
    webhook_actions.delete_webhook(_me(request), queries.webhook(_me(request), webhook_id))
    return HttpStatus(204, None)


@router.get("/webhooks/{webhook_id}/deliveries", response=list[DeliveryOut],
            summary="A webhook's delivery log, newest first")  # fmt: skip
def list_deliveries(
    request: HttpRequest, webhook_id: int, filters: Query[DeliveryFilters]
) -> list[dict[str, Any]]:
    _admin_or_404(request, "webhook")
    hook = queries.webhook(_me(request), webhook_id)
    return [delivery_out(d) for d in queries.deliveries(hook)[: filters.limit]]
