"""The reactions page (admins): how far behind each reaction is, the ones that failed,
and a button to run a failed one again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.core.errors import RapportError
from rapport.directory.access import me, my_scope, staff_required
from rapport.tickets import actions, queries, reactor
from rapport.tickets.models import ReactionState

SHOWN = 100


@staff_required
def reactions(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    if not scope.is_admin:
        raise PermissionDenied("Only an admin can see the reactions.")
    failed = list(
        queries.pending_reactions(scope)
        .exclude(state=ReactionState.HELD)
        .order_by("-updated_at", "-id")[:SHOWN]
    )
    for row in failed:
        # The traceback's last line names the error; the whole of it is one click away.
        lines = [line for line in row.error.splitlines() if line.strip()]
        row.summary = lines[-1] if lines else ""  # type: ignore[attr-defined]
    context = {"lag": sorted(reactor.lag().items()), "failed": failed, "shown": SHOWN}
    return render(request, "desk/reactions.html", context)


@staff_required
@require_POST
def retry(request: HttpRequest, reaction_id: int) -> HttpResponse:
    try:
        row = actions.retry_reaction(me(request), reaction_id)
    except RapportError as exc:
        messages.error(request, exc.detail)
    else:
        if row is None:
            messages.success(request, f"Reaction {reaction_id} ran.")
        else:
            messages.error(request, f"Reaction {reaction_id} failed again; see its error.")
    return redirect("desk:reactions")
