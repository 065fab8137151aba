"""Desk pages: triggers, automations (with the dry run), webhooks with their delivery
log, macros; and the reply box's macro picker. Writes go through the actions; a domain
error is shown on its form."""

from __future__ import annotations

import json
import time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.automation import conditions as cond
from rapport.automation import queries, signing
from rapport.automation.actions import apply as steps
from rapport.automation.actions import macros as macro_actions
from rapport.automation.actions import rules as rule_actions
from rapport.automation.actions import webhooks as webhook_actions
from rapport.automation.forms import MacroForm, RuleForm, WebhookForm
from rapport.automation.models import Macro, Rule, RuleKind, Webhook
from rapport.core.errors import NotFound, RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.tickets import queries as ticket_queries
from rapport.tickets.forms import run_action

DELIVERIES = 50
REFERENCE = {
    "fields": {name: {"ops": ops, "for": scope} for name, (ops, _, scope) in cond.FIELDS.items()},
    "actions": list(steps.RULE_ACTIONS),
}


def _admin(request: HttpRequest) -> None:
    if not my_scope(request).is_admin:
        raise Http404("Only admins manage rules and webhooks.")


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    admin = my_scope(request).is_admin
    context: dict[str, Any] = {"admin": admin, "macros": []}
    if admin:
        context["triggers"] = list(queries.rules(RuleKind.TRIGGER))
        context["automations"] = list(queries.rules(RuleKind.AUTOMATION))
        context["webhooks"] = list(queries.webhooks())
    macros = list(queries.macros_for(me(request)).order_by("-usage_count", "title", "id")[:200])
    context["macros"] = [(m, queries.macro_flag(m)) for m in macros]
    return render(request, "automation/home.html", context)


def _rule_initial(rule: Rule | None, kind: str) -> dict[str, Any]:
    if rule is None:
        first = "event_kind" if kind == RuleKind.TRIGGER else "status"
        value = "created" if kind == RuleKind.TRIGGER else "solved"
        return {"conditions": {"all": [{"field": first, "op": "is", "value": value}], "any": []},
                "actions": [], "max_per_hour": 3, "is_active": True}  # fmt: skip
    return {"name": rule.name, "description": rule.description, "conditions": rule.conditions,
            "actions": rule.actions, "max_per_hour": rule.max_per_hour,
            "is_active": rule.is_active}  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_required
def rule_edit(request: HttpRequest, pk: int | None = None, kind: str = "") -> HttpResponse:
    _admin(request)
    rule = Rule.objects.filter(pk=pk).select_related("owner").first() if pk else None
    if pk and rule is None:
        raise Http404("No such rule")
    kind = rule.kind if rule else kind
    if kind not in RuleKind.values:
        raise Http404("No such kind of rule")
    form = RuleForm(request.POST or None, initial=_rule_initial(rule, kind))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_action(form, "conditions", lambda: (
            rule_actions.update_rule(me(request), rule, data) if rule
            else rule_actions.create_rule(me(request), kind, data)))  # fmt: skip
        if saved is not None:
            messages.success(request, f"Saved {kind} “{saved.name}”.")
            return redirect("automation:home")
    firings = list(rule.firings.select_related("ticket")[:20]) if rule else []
    return render(request, "automation/rule.html", {
        "form": form, "rule": rule, "kind": kind, "firings": firings,
        "reference": json.dumps(REFERENCE, indent=1),
    })  # fmt: skip


@require_POST
@staff_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    rule = Rule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404("No such rule")
    rule_actions.delete_rule(me(request), rule)
    messages.success(request, f"Deleted “{rule.name}”.")
    return redirect("automation:home")


@require_POST
@staff_required
def dry_run(request: HttpRequest, kind: str) -> HttpResponse:
    """The preview under the rule form (htmx): what the conditions match now."""
    _admin(request)
    if kind not in RuleKind.values:
        raise Http404("No such kind of rule")
    error, result = "", None
    try:
        result = queries.dry_run(kind, json.loads(request.POST.get("conditions") or "null"))
    except json.JSONDecodeError:
        error = "The conditions are not valid JSON."
    except RapportError as exc:
        error = str(exc)
    return render(request, "automation/_dry_run.html", {"result": result, "error": error})


@require_http_methods(["GET", "POST"])
@staff_required
def webhook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _admin(request)
    hook = None
    if pk:
        try:
            hook = queries.webhook(me(request), pk)
        except NotFound:
            raise Http404("No such webhook") from None
    initial = {"name": hook.name, "url": hook.url, "kinds": ", ".join(hook.kinds),
               "is_active": hook.is_active} if hook else {"is_active": True}  # fmt: skip
    form = WebhookForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and not hook
        and not form.cleaned_data["secret"]
    ):
        form.add_error("secret", "A new webhook needs a secret.")
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "secret": form.cleaned_data["secret"] or None}
        saved = run_action(form, "url", lambda: (
            webhook_actions.update_webhook(me(request), hook, data) if hook
            else webhook_actions.create_webhook(me(request), data)))  # fmt: skip
        if saved is not None:
            messages.success(request, f"Saved webhook “{saved.name}”.")
            return redirect("automation:webhook", saved.pk)
    deliveries = list(queries.deliveries(hook)[:DELIVERIES]) if hook else []
    return render(request, "automation/webhook.html",
                  {"form": form, "hook": hook, "deliveries": deliveries})  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_required
def macro_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    macro: Macro | None = None
    if pk:
        try:
            macro = queries.macro(me(request), pk)
        except NotFound:
            raise Http404("No such macro") from None
    initial = {"title": macro.title, "shortcut": macro.shortcut, "body": macro.body,
               "actions": macro.actions, "visibility": macro.visibility, "team": macro.team_id,
               "document": macro.document_id} if macro else {"actions": []}  # fmt: skip
    form = MacroForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "actions": form.cleaned_data["actions"] or []}
        saved = run_action(form, "body", lambda: (
            macro_actions.update_macro(me(request), macro, data) if macro
            else macro_actions.create_macro(me(request), data)))  # fmt: skip
        if saved is not None:
            messages.success(request, f"Saved macro “{saved.title}”.")
            return redirect("automation:home")
    flag = queries.macro_flag(macro) if macro else ""
    return render(request, "automation/macro.html", {"form": form, "macro": macro, "flag": flag})


@require_GET
@staff_required
def macro_search(request: HttpRequest, number: int) -> HttpResponse:
    """The reply box's picker (`::text` or Alt+M): the macros matching what was typed."""
    try:
        ticket_queries.get_ticket(my_scope(request), number)
    except NotFound:
        raise Http404("No such ticket") from None
    found = queries.search_macros(me(request), request.GET.get("q", "")[:100], limit=8)
    return render(request, "automation/_macro_options.html", {"macros": found, "number": number})


@require_POST
@staff_required
def macro_apply(request: HttpRequest, pk: int, number: int) -> JsonResponse:
    try:
        macro = queries.macro(me(request), pk)
        ticket = ticket_queries.get_ticket(my_scope(request), number)
        text = macro_actions.apply_macro(me(request), macro, ticket)
    except NotFound:
        raise Http404("No such macro or ticket") from None
    except RapportError as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse({"text": text, "title": macro.title, "actions": len(macro.actions)})


@csrf_exempt
@require_POST
def sink(request: HttpRequest, pk: int) -> HttpResponse:
    """The demo's webhook receiver: verifies the signature as an integrator would and
    answers 204 (or 401), so the delivery log shows real round trips. It answers only
    for a webhook that points at itself, so it is no oracle for other subscriptions."""
    hook = Webhook.objects.filter(pk=pk).first()
    if hook is None or not hook.url.rstrip("/").endswith(f"/automation/sink/{pk}"):
        raise Http404("No such sink")
    ok = signing.verify(hook.secret, request.headers.get(signing.TIMESTAMP, ""),
                        request.headers.get(signing.SIGNATURE, ""), request.body,
                        time.time())  # fmt: skip
    return HttpResponse(status=204 if ok else 401)
