"""Exceptions to approve: what agents asked beyond a policy's autonomy, waiting for the
approver they named (the policy's owner or their lead), and what that approver decided
lately. Deciding records it on the exception and the ticket and tells the agent."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from rapport.core.errors import NotFound
from rapport.directory.access import me, my_scope, staff_required
from rapport.policies import actions, queries
from rapport.policies.forms import ExceptionDecisionForm
from rapport.tickets.forms import run_action

SHOWN = 100


def _page(request: HttpRequest, form: ExceptionDecisionForm | None = None,
          failed: int | None = None) -> HttpResponse:  # fmt: skip
    person = me(request)
    visible = queries.visible_exceptions(my_scope(request)).values("pk")
    waiting = list(queries.awaiting_approval(person.pk).filter(pk__in=visible)[:SHOWN])
    decided = list(queries.decided_by(person.pk).filter(pk__in=visible)[:SHOWN])
    return render(request, "policies/approvals.html", {
        "waiting": waiting, "decided": decided, "form": form, "failed": failed,
    }, status=422 if form is not None else 200)  # fmt: skip


@require_GET
@staff_required
def approvals(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        exception = queries.get_exception(my_scope(request), pk)
    except NotFound:
        raise Http404("No such exception")
    form = ExceptionDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        done = run_action(form, "note", lambda: actions.decide_exception(
            me(request), exception, approve=approve, note=data["note"]))  # fmt: skip
        if done is not None:
            messages.success(request, f"Exception on #{exception.ticket_id} {done.status}; "
                                      f"{exception.agent.display_name} is told.")  # fmt: skip
            return redirect("policies:approvals")
    return _page(request, form, exception.pk)
