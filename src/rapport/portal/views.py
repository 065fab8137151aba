"""The portal: clients, employees and vendor users raise and follow requests.

Only public messages are ever shown here (even to staff who open it), and every
change goes through `tickets.actions`, which check who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES, StatusCategory
from rapport.core.errors import Invalid, NotFound, RapportError
from rapport.core.pagination import paginate
from rapport.directory.models import Party, Person
from rapport.directory.queries import Scope, scope_for
from rapport.policies import actions as policy_actions
from rapport.portal import queries
from rapport.portal.forms import ReplyForm, RequestForm
from rapport.sla.badges import badge_html
from rapport.sla.queries import badges_by_number, ticket_clocks
from rapport.tickets import actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets.forms import run_action, upload_all
from rapport.tickets.models import Side, Ticket
from rapport.tickets.permissions import side_of


def _me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _scope(request: HttpRequest) -> Scope:
    return scope_for(_me(request))


@require_GET
@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    tabs = queries.tabs(scope)
    # Vendor and contractor users come to work on what was handed to them.
    usual = queries.HANDED if scope.provider_org_party_ids else queries.MINE
    slug = request.GET.get("tab", usual.slug)
    tab = next((t for t in tabs if t.slug == slug), tabs[0])
    cursor = request.GET.get("cursor", "")[:200] or None
    error = ""
    try:
        rows, next_cursor = paginate(
            queries.tab_tickets(scope, tab.slug), field="updated_at", descending=True,
            cursor=cursor, limit=queries.PAGE_SIZE, is_datetime=True,
            fetch=ticket_queries.with_list_joins,
        )  # fmt: skip
    except Invalid as problem:
        error = problem.detail
        rows, next_cursor = paginate(
            queries.tab_tickets(scope, tab.slug), field="updated_at", descending=True,
            cursor=None, limit=queries.PAGE_SIZE, is_datetime=True,
            fetch=ticket_queries.with_list_joins,
        )  # fmt: skip
    # Vendors and contractors work the handed tab under their UC: its clocks are theirs.
    badges = {}
    if tab.slug == queries.HANDED.slug:
        views = badges_by_number([t.pk for t in rows], clock.now())
        badges = {number: badge_html(view) for number, view in views.items()}
    context = {
        "tabs": tabs,
        "tab": tab,
        "rows": [(t, badges.get(t.pk, "")) for t in rows],
        "next_url": f"?tab={tab.slug}&cursor={next_cursor}" if next_cursor else None,
        "first_url": f"?tab={tab.slug}" if cursor else None,
        "error": error,
        "can_ask": bool(queries.request_options(scope)),
    }
    return render(request, "portal/home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def new_request(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    options = queries.request_options(scope)
    if request.method == "GET":
        chosen = request.GET.get("provider", "")
        form = RequestForm(initial={"provider": chosen}, options=options)
        return _new_page(request, form, options, chosen)
    form = RequestForm(request.POST, request.FILES, options=options)
    if form.is_valid():
        data = form.cleaned_data
        person = _me(request)

        def write() -> Ticket:
            provider = Party.objects.get(pk=data["provider"])
            return actions.create_ticket(
                person, subject=data["subject"], body=data["body"], provider=provider,
                priority=data["priority"], attachments=upload_all(person, data["attachments"]),
            )  # fmt: skip

        ticket = run_action(form, "body", write)
        if ticket is not None:
            # Suggested articles opened before raising it did not deflect it.
            policy_actions.raised_request(person)
            messages.success(request, f"Thank you. Your request #{ticket.pk} was received.")
            return redirect("portal:request", number=ticket.pk)
    return _new_page(request, form, options, request.POST.get("provider", ""), status=422)


def _new_page(
    request: HttpRequest, form: RequestForm, options: list[queries.Option], chosen: str,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    option = next((o for o in options if str(o.provider.pk) == chosen), None)
    context = {"form": form, "options": options, "option": option}
    return render(request, "portal/new.html", context, status=status)


@require_GET
@login_required
def priority_field(request: HttpRequest) -> HttpResponse:
    """The priority control for the chosen provider (only where the agreement allows)."""
    options = queries.request_options(_scope(request))
    chosen = request.GET.get("provider", "")
    option = next((o for o in options if str(o.provider.pk) == chosen), None)
    form = RequestForm(options=options)
    return render(request, "portal/_priority.html", {"form": form, "option": option})


def _ticket(request: HttpRequest, number: int) -> Ticket:
    if number >= 2**63:
        raise Http404("No such request.")
    try:
        return ticket_queries.get_ticket(_scope(request), number)
    except NotFound:
        raise Http404(f"There is no request #{number} you can see.")


def _page(
    request: HttpRequest, ticket: Ticket, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    scope = _scope(request)
    provider_side = side_of(scope, ticket) == Side.PROVIDER
    context = {
        "ticket": ticket,
        # Public messages only, whoever looks: the portal never shows internal notes.
        "thread": list(ticket_queries.thread(scope, ticket).filter(is_internal=False)),
        "form": form or ReplyForm(),
        "provider_side": provider_side,
        # The side that provides is measured by these clocks, a vendor under its UC.
        "show_clocks": provider_side,
        "clocks": ticket_clocks(ticket, clock.now()) if provider_side else [],
        "open_thread": ticket.merged_into_id is None
        and ticket.status_category != StatusCategory.CLOSED,
        "can_resolve": ticket.merged_into_id is None
        and ticket.status_category not in DONE_CATEGORIES,
        "can_reopen": ticket.merged_into_id is None
        and (
            ticket.status_category == StatusCategory.SOLVED
            or (provider_side and ticket.status_category == StatusCategory.CLOSED)
        ),
    }
    return render(request, "portal/request.html", context, status=status)


@require_GET
@login_required
@never_cache
def request_page(request: HttpRequest, number: int) -> HttpResponse:
    return _page(request, _ticket(request, number))


@require_POST
@login_required
def reply(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        person = _me(request)
        data = form.cleaned_data

        # A vendor or contractor asking for information waits on the client's answer.
        asking = (
            request.POST.get("ask") == "1" and side_of(_scope(request), ticket) == Side.PROVIDER
        )

        def write() -> object:
            tokens = upload_all(person, data["attachments"])
            status = actions.default_status(StatusCategory.PENDING_CLIENT) if asking else None
            return actions.reply(
                person, ticket, body=data["body"], attachments=tokens, status=status
            )

        if run_action(form, "body", write) is not None:
            messages.success(request, "Your reply was sent.")
            return redirect(reverse("portal:request", args=[ticket.pk]) + "#thread")
        ticket = _ticket(request, number)
    return _page(request, ticket, form, status=422)


@require_POST
@login_required
def resolve(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    person = _me(request)
    _report(
        request,
        lambda: actions.set_status(person, ticket, actions.default_status("solved")),
        "Marked as resolved. Reply or reopen if it comes back.",
    )
    return redirect("portal:request", number=number)


@require_POST
@login_required
def reopen(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    person = _me(request)
    _report(request, lambda: actions.reopen(person, ticket), "Reopened. We will pick it up again.")
    return redirect("portal:request", number=number)


def _report(request: HttpRequest, change: Callable[[], object], done: str) -> None:
    try:
        with transaction.atomic():
            change()
    except RapportError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
