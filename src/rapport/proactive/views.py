"""Desk pages of the proactive app: the at-risk clients (the landing page, for
managers) and outreach (preview, dry run, send, follow up). Every write goes through
`proactive.actions`; a domain error is shown on its form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.access import me, my_scope, staff_required
from rapport.proactive import actions, queries
from rapport.proactive.forms import OutreachForm
from rapport.proactive.risk import THRESHOLD
from rapport.tickets.forms import run_action
from rapport.tickets.queries import get_ticket

PAGE = 100


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/forbidden.html", status=403)


def _sparkline(points: list[float], width: int = 120, height: int = 24) -> str:
    """An SVG polyline's points for a score history (0–100 upwards)."""
    if len(points) < 2:
        return ""
    step = width / (len(points) - 1)
    return " ".join(
        f"{i * step:.1f},{height - min(100.0, p) / 100 * height:.1f}" for i, p in enumerate(points)
    )


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    if not scope.sees_everything:
        return _forbidden(request)
    only = request.GET.get("all") != "1"
    rows = list(queries.at_risk(scope, only_at_risk=False)[:PAGE])
    if only:
        rows = [r for r in rows if r.score > 0]
    past = queries.history([r.party_id for r in rows], clock.now())
    shown: list[dict[str, Any]] = [
        {"risk": r, "spark": _sparkline([s.score for s in past[r.party_id]])} for r in rows
    ]
    tasks = list(queries.open_tasks(scope)[:50])
    return render(request, "proactive/at_risk.html", {
        "rows": shown, "tasks": tasks, "threshold": THRESHOLD, "only": only,
    })  # fmt: skip


@require_POST
@staff_required
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        actions.complete_task(me(request), task_id)
    except PermissionDenied:
        return _forbidden(request)
    except NotFound:
        return render(request, "directory/forbidden.html", status=404)
    messages.success(request, "Outreach task done.")
    return redirect("proactive:home")


@require_http_methods(["GET", "POST"])
@staff_required
def outreach(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    if not scope.sees_everything:
        return _forbidden(request)
    initial: dict[str, Any] = {}
    if "tickets" in request.GET:  # linked from a problem, a queue or a list of tickets
        initial["tickets"] = request.GET.get("tickets", "")[:4000].replace(",", ", ")
    if "follow_up_of" in request.GET:
        try:
            previous = queries.get_outreach(scope, int(request.GET["follow_up_of"][:18]))
        except (ValueError, NotFound):
            previous = None
        if previous is not None:
            initial["follow_up_of"] = previous.pk
            initial["subject"] = f"Update: {previous.subject}"
            initial["source"] = previous.source
    form = OutreachForm(request.POST or None, initial=initial)
    recipients = None
    if request.method == "POST" and form.is_valid():
        previous = None
        if form.cleaned_data.get("follow_up_of"):
            previous = (
                queries.outreaches(scope).filter(pk=form.cleaned_data["follow_up_of"]).first()
            )
        selection = form.selection()
        if "send" in request.POST:
            sent = run_action(form, None, lambda: actions.send_outreach(
                me(request), subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                follow_up_of=previous, **selection))  # fmt: skip
            if sent is not None:
                messages.success(request, f"Sent to {sent.recipients.count()} clients.")
                return redirect("proactive:outreach")
        else:
            recipients = run_action(form, None, lambda: actions.preview(
                me(request), follow_up_of=previous, **selection))  # fmt: skip
    sent_list = list(queries.outreaches(scope).prefetch_related("recipients")[:20])
    return render(request, "proactive/outreach.html", {
        "form": form, "recipients": recipients, "sent": sent_list,
    })  # fmt: skip


@require_GET
@staff_required
def ticket_panel(request: HttpRequest, number: int) -> HttpResponse:
    """The client's mood trend and the forecast of each open clock, beside the clocks."""
    scope = my_scope(request)
    try:
        ticket = get_ticket(scope, number)
        forecasts = queries.forecasts(scope, ticket)
    except NotFound:
        raise Http404("No such ticket")
    mood = queries.mood(ticket)
    scores = mood.scores if mood else []
    spark = _sparkline([(s + 1) * 50 for s in scores], width=160, height=32)
    for f in forecasts:
        f.percent = round(f.probability * 100)  # type: ignore[attr-defined]
    return render(request, "proactive/_ticket_panel.html", {
        "ticket": ticket, "mood": mood, "spark": spark, "forecasts": forecasts,
    })  # fmt: skip
