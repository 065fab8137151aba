"""The outbox page: every e-mail Rapport sends, its state, and why one failed.

With no EMAIL_HOST (`make run`, a trial) mail stays on this machine, and this is where
an admin reads it and clicks its links (a survey, a ticket). A failed mail shows its
reason here rather than a traceback in the worker's console.
"""

from __future__ import annotations

from typing import cast

import nh3
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from rapport.core.errors import NotFound
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.mail.models import OutboundState
from rapport.mail.outbox_queries import PAGE, outbound_message, outbox


@login_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(cast(Person, request.user))
    state = request.GET.get("state", "")
    if state not in OutboundState.values:
        state = ""
    try:
        rows = outbox(scope, state=state)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    columns = ("id", "kind", "to_address", "subject", "state", "reason", "attempts",
               "created_at", "sent_at", "ticket_id")  # fmt: skip
    page = Paginator(rows.only(*columns), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": OutboundState.choices,
        "kept_local": settings.RAPPORT_MAIL_KEPT_LOCAL,
    }
    return render(request, "mail/outbox.html", context)


@login_required
def outbox_message(request: HttpRequest, outbound_id: int) -> HttpResponse:
    scope = scope_for(cast(Person, request.user))
    try:
        mail = outbound_message(scope, outbound_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    # Our own rendering, but it quotes what clients wrote: cleaned before display.
    html = nh3.clean(mail.body_html) if mail.body_html else ""
    return render(request, "mail/outbox_message.html", {"mail": mail, "html": html})
