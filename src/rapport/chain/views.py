"""Pages of the service chain: the hand-off form on a desk ticket, my requests to
other teams, the relationship map, chain analytics and the tickets behind a figure.
Every write goes through `chain.actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, OuterRef, Q, Subquery, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.agreements.models import Agreement
from rapport.agreements.queries import active_on
from rapport.chain import actions, analytics, queries, svg
from rapport.chain.forms import HandOffForm, PeriodForm
from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES
from rapport.core.errors import NotFound, RapportError
from rapport.core.pagination import paginate
from rapport.directory.access import me, my_scope, staff_required
from rapport.directory.models import Party, PartyKind
from rapport.directory.queries import Scope
from rapport.tickets import queries as ticket_queries
from rapport.tickets.forms import run_action
from rapport.tickets.models import Ticket

PAGE = 50


def provider_options(ticket: Ticket) -> list[tuple[Party, str]]:
    """Whom the ticket's team may hand work to, each labelled with the agreement that
    would measure it (one query: the agreement is a subquery per party)."""
    # As `agreements.queries.match_agreement` chooses: one naming the team itself,
    # else one with our whole organisation.
    agreements = (
        Agreement.objects.filter(active_on(clock.now().date()), provider_id=OuterRef("pk"))
        .filter(Q(client_id=ticket.provider_party_id) | Q(client__kind=PartyKind.OWN))
        .annotate(exact=Case(When(client_id=ticket.provider_party_id, then=1), default=0))
        .order_by("-exact", "-active_from", "-id")
    )
    parties = (
        Party.objects.filter(kind__in=[PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR])
        .exclude(pk=ticket.provider_party_id)
        .annotate(
            agreement_name=Subquery(agreements.values("name")[:1]),
            agreement_kind=Subquery(agreements.values("kind")[:1]),
        )
        .order_by("kind", "name", "id")
    )
    kinds = dict(PartyKind.choices)
    options: list[tuple[Party, str]] = []
    for p in parties:
        terms = (
            f"{p.agreement_name}, {p.agreement_kind.upper()}"
            if p.agreement_name
            else "no agreement"
        )
        options.append((p, f"{p.name} ({str(kinds[p.kind]).lower()}; {terms})"))
    return options


def handoff_context(
    scope: Scope, ticket: Ticket, form: HandOffForm | None = None
) -> dict[str, Any]:
    """What the desk ticket page needs to offer a hand-off (nothing for others).

    Without a bound form the page shows only a "Hand off…" button: the form, whose
    list of providers and their agreements is the page's costliest query, loads
    when an agent asks for it (`hand_off`, GET)."""
    if not can_hand_off(scope, ticket):
        return {"can_hand_off": False}
    return {"can_hand_off": True, "handoff_form": form}


def can_hand_off(scope: Scope, ticket: Ticket) -> bool:
    return (
        ticket_queries.can_see_internal(scope, ticket)
        and ticket.merged_into_id is None
        and ticket.status_category not in DONE_CATEGORIES
    )


def _ticket(request: HttpRequest, number: int) -> Ticket:
    if number >= 2**63:
        raise Http404("No such ticket.")
    try:
        return ticket_queries.get_ticket(my_scope(request), number)
    except NotFound:
        raise Http404(f"There is no ticket #{number} you can see.")


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def hand_off(request: HttpRequest, number: int) -> HttpResponse:
    """GET: the hand-off form (a fragment for htmx, else a page of its own).
    POST: hand the work over, or show the form again with its errors."""
    parent = _ticket(request, number)
    if request.method == "GET":
        # A POST goes to the action, which says why a ticket cannot be handed off.
        if not can_hand_off(my_scope(request), parent):
            raise Http404(f"Ticket #{parent.pk} cannot be handed off.")
        form = HandOffForm(initial={"subject": parent.subject}, providers=provider_options(parent))
        context = {"ticket": parent, "handoff_form": form, "can_hand_off": True, "focus": True}
        if request.headers.get("HX-Request"):
            return render(request, "chain/_handoff_form.html", context)
        return render(request, "chain/handoff_page.html", context)
    form = HandOffForm(request.POST, providers=provider_options(parent))
    if form.is_valid():
        data = form.cleaned_data

        def write() -> Ticket:
            provider = Party.objects.get(pk=data["provider"])
            return actions.hand_off(
                me(request), parent, provider=provider, subject=data["subject"],
                note=data["note"], share_request=data["share_request"], wait=data["wait"],
            )  # fmt: skip

        child = run_action(form, "note", write)
        if child is not None:
            messages.success(request, f"Handed over as #{child.pk} to {child.provider_party.name}.")
            return redirect(reverse("desk:ticket", args=[parent.pk]) + "#handoffs")
    # Shown as a page of its own: the form, its errors and the ticket it belongs to.
    context = {"ticket": parent, "handoff_form": form, "can_hand_off": True}
    return render(request, "chain/handoff_page.html", context, status=422)


@require_POST
@staff_required
def wait(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    try:
        with transaction.atomic():
            actions.wait_on_children(me(request), ticket)
    except RapportError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "On hold until the hand-offs are done.")
    return redirect("desk:ticket", number=ticket.pk)


@require_GET
@staff_required
@never_cache
def my_requests(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    cursor = request.GET.get("cursor", "")[:200] or None
    error = ""
    try:
        rows, next_cursor = paginate(
            queries.my_requests(scope), field="updated_at", descending=True, cursor=cursor,
            limit=PAGE, is_datetime=True,
        )  # fmt: skip
    except RapportError as problem:
        error = problem.detail
        rows, next_cursor = paginate(
            queries.my_requests(scope), field="updated_at", descending=True, cursor=None,
            limit=PAGE, is_datetime=True,
        )  # fmt: skip
    context = {"rows": rows, "next_cursor": next_cursor, "error": error, "now": clock.now()}
    return render(request, "chain/my_requests.html", context)


def _period(request: HttpRequest) -> tuple[PeriodForm, Any, Any]:
    form = PeriodForm(request.GET or None)
    since, until = form.period()
    return form, since, until


@require_GET
@staff_required
@never_cache
def relationship_map(request: HttpRequest) -> HttpResponse:
    form, since, until = _period(request)
    data = queries.relationship_map(my_scope(request), since=since, until=until, now=clock.now())
    picture = svg.render(data, reverse("chain:tickets"))
    worst = sorted((e for e in data.edges if e.worst), key=lambda e: e.attainment or 0)
    context = {
        "form": form, "since": since, "until": until, "data": data,
        "svg": mark_safe(picture),  # noqa: S308 (every text in chain.svg is escaped)
        "worst": worst,
        "edges": sorted(data.edges, key=lambda e: (e.attainment is None, e.attainment or 0,
                                                   -e.tickets)),
    }  # fmt: skip
    return render(request, "chain/map.html", context)


@require_GET
@staff_required
@never_cache
def chain_analytics(request: HttpRequest) -> HttpResponse:
    form, since, until = _period(request)
    result = analytics.chain_analytics(my_scope(request), since=since, until=until, now=clock.now())
    total = result.total_link_minutes
    links = [
        {"link": link, "share": round(100 * link.business_minutes / total, 1) if total else None}
        for link in result.links
    ]
    context = {"form": form, "since": since, "until": until, "result": result, "links": links}
    return render(request, "chain/analytics.html", context)


@require_GET
@staff_required
@never_cache
def tickets(request: HttpRequest) -> HttpResponse:
    """The tickets behind a figure of the map (volume, or breaches with ?breached=1)."""
    form, since, until = _period_from_iso(request)
    agreement_id = request.GET.get("agreement", "")
    if not agreement_id.isdigit() or int(agreement_id) >= 2**63:
        raise Http404("Name an agreement.")
    agreement = (
        Agreement.objects.select_related("provider", "client").filter(pk=int(agreement_id)).first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    breached = request.GET.get("breached") == "1"
    qs = queries.edge_tickets(
        my_scope(request), agreement=agreement.pk, since=since, until=until, breached=breached,
        now=clock.now(),
    )  # fmt: skip
    rows = list(qs[: PAGE + 1])
    context = {
        "agreement": agreement, "rows": rows[:PAGE], "more": len(rows) > PAGE,
        "since": since, "until": until, "breached": breached, "form": form,
    }  # fmt: skip
    return render(request, "chain/tickets.html", context)


def _period_from_iso(request: HttpRequest) -> tuple[PeriodForm, Any, Any]:
    """The map links with exact instants (?since=…&until=… in ISO); dates work too."""
    try:
        since = parse_datetime(request.GET.get("since", "")[:40])
        until = parse_datetime(request.GET.get("until", "")[:40])
    except ValueError:
        since = until = None
    if since and until and since.tzinfo and until.tzinfo and since < until:
        return PeriodForm(), since, until
    return _period(request)
