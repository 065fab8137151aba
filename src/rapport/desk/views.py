"""Queue pages of the desk: counts, filters, sort, keyset pages, saved views, bulk."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES
from rapport.core.errors import Invalid, NotFound
from rapport.desk import actions, queries
from rapport.desk import sla as desk_sla
from rapport.desk.forms import BULK_ACTIONS, PRIORITY_CHOICES, BulkForm, FilterForm, SaveViewForm
from rapport.desk.fragments import queue_rows
from rapport.directory.access import me, my_scope, staff_required
from rapport.tickets import queries as ticket_queries
from rapport.tickets.forms import run_action

FILTER_KEYS = ("q", "status", "priority", "provider", "assignee", "tag", "client", "sort",
               *queries.FIGURES)  # fmt: skip
SORT_LABELS = {
    "-updated": "latest update first", "updated": "oldest update first",
    "-created": "newest first", "created": "oldest first",
    "-priority": "most urgent first", "priority": "least urgent first",
    "-number": "highest number first", "number": "lowest number first",
    "subject": "subject A–Z", "-subject": "subject Z–A",
    "status": "status A–Z", "-status": "status Z–A",
    "client": "client A–Z", "-client": "client Z–A",
    "assignee": "assignee A–Z (unassigned first)", "-assignee": "assignee Z–A",
}  # fmt: skip
COLUMNS = (
    ("number", "#"),
    ("subject", "Subject"),
    ("client", "Client"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("assignee", "Assignee"),
    ("updated", "Updated"),
    ("created", "Created"),
)


def sidebar(request: HttpRequest, current: str, current_view: int | None = None) -> dict[str, Any]:
    views = list(queries.saved_views(me(request)))
    counts = queries.queue_counts(my_scope(request), clock.now(), views)
    for view in views:
        count = counts.get(f"view:{view.pk}")
        view.count = "" if count is None else queries.show_count(count)  # type: ignore[attr-defined]
    return {
        "queues": [
            {"queue": q, "count": queries.show_count(counts[q.slug]), "current": q.slug == current}
            for q in queries.QUEUES
        ],
        "saved_views": views,
        "current_view": current_view,
        "dashboard_current": current == "dashboard",
    }


@require_GET
@staff_required
@never_cache
def counts(request: HttpRequest) -> HttpResponse:
    """The sidebar alone, polled so the counts stay live."""
    current = request.GET.get("queue", "")
    view = request.GET.get("view", "")
    context = sidebar(request, current, int(view) if view.isdigit() else None)
    return render(request, "desk/_sidebar.html", context)


@require_GET
@staff_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """Managers and admins land on their dashboard; agents on their own queue."""
    if my_scope(request).sees_everything:
        return redirect("desk:dashboard")
    return queue(request, "mine")


@require_GET
@staff_required
@never_cache
def queue(request: HttpRequest, slug: str = "mine") -> HttpResponse:
    if slug not in queries.QUEUE_BY_SLUG:
        raise Http404("No such queue.")
    scope = my_scope(request)
    statuses = ticket_queries.statuses()
    if slug in queries.ACTIVE_QUEUES:
        statuses = [s for s in statuses if s.category not in DONE_CATEGORIES]
    staff = queries.staff_choices(scope)
    form = FilterForm(
        request.GET, statuses=statuses, providers=queries.provider_choices(scope), staff=staff
    )
    form.is_valid()  # a bad field is shown as an error and left out of the filter
    data = form.cleaned_data
    filters = queries.Filters(
        status=data.get("status") or None,
        priority=data.get("priority"),
        provider=data.get("provider"),
        assignee=data.get("assignee") or None,
        tag=data.get("tag") or None,
        client=data.get("client"),
        text=data.get("q") or None,
        **queries.figure_filters(request.GET),
    )
    sort = data.get("sort") or queries.DEFAULT_SORT
    now = clock.now()
    try:
        rows, next_cursor = queries.queue_page(
            scope, slug, filters=filters, sort=sort, cursor=data.get("cursor") or None, now=now
        )
    except Invalid as error:
        form.add_error("cursor", error.detail)
        rows, next_cursor = queries.queue_page(
            scope, slug, filters=filters, sort=sort, cursor=None, now=now
        )
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            kept[key] = request.GET[key][:200]
    # A client typed by name is kept (and saved) by number.
    kept.pop("client", None)
    if data.get("client"):
        kept["client"] = str(data["client"])
    view_id = request.GET.get("view", "")
    context = {
        **sidebar(request, slug, int(view_id) if view_id.isdigit() else None),
        "queue": queries.QUEUE_BY_SLUG[slug],
        "rows": rows,
        "rendered_rows": queue_rows(rows, desk_sla.queue_badges(rows, now)),
        "form": form,
        "filters_active": filters.active,
        "next_url": _url(slug, kept, cursor=next_cursor) if next_cursor else None,
        "first_url": _url(slug, kept) if data.get("cursor") else None,
        "columns": _sort_columns(slug, kept, sort),
        "query": kept.urlencode(),
        "status_options": [(s.slug, s.name) for s in statuses],
        "staff_options": [(p.pk, p.display_name) for p in staff],
        "priorities": PRIORITY_CHOICES,
        "bulk_actions": BULK_ACTIONS,
        "page_size": queries.PAGE_SIZE,
        "sort_label": SORT_LABELS.get(sort, sort),
        "client_name": _client_name(form, request),
    }
    return render(request, "desk/queue.html", context)


@require_GET
@staff_required
@never_cache
def clients(request: HttpRequest) -> HttpResponse:
    """Suggestions for the client filter (htmx): links to the queue filtered by each
    client, keeping the other filters of the form they were typed in."""
    slug = request.GET.get("queue", "")
    if slug not in queries.QUEUE_BY_SLUG:
        slug = "mine"
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key) and key != "client":
            kept[key] = request.GET[key][:200]
    typed = request.GET.get("client_name", "")
    found = queries.client_suggestions(my_scope(request), typed)
    items = [(party.name, _url(slug, kept, client=str(party.pk))) for party in found]
    return render(
        request, "desk/_client_suggestions.html", {"items": items, "typed": typed.strip()}
    )


def _client_name(form: FilterForm, request: HttpRequest) -> str:
    """The client field's text: the name of the client filtered by, else what was typed."""
    party = getattr(form, "client_party", None)
    return party.name if party is not None else request.GET.get("client_name", "")[:200]


def _url(slug: str, kept: QueryDict, **extra: str) -> str:
    params = kept.copy()
    for key, value in extra.items():
        params[key] = value
    query = params.urlencode()
    return reverse("desk:queue", args=[slug]) + (f"?{query}" if query else "")


def _sort_columns(slug: str, kept: QueryDict, sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the link that sorts by it, and its aria-sort state."""
    columns = {}
    for key, _label in COLUMNS:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        if current:
            next_sort = key if descending else f"-{key}"
            state = "descending" if descending else "ascending"
        else:
            next_sort = f"-{key}" if queries.SORTS[key].newest_first else key
            state = "none"
        columns[key] = {"url": _url(slug, kept, sort=next_sort), "state": state}
    return columns


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    back = _back(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = "Tickets" if field == "tickets" else "Value"
            for error in errors:
                messages.error(request, f"{label}: {error}")
        return redirect(back)
    data = form.cleaned_data
    result = actions.bulk_change(me(request), data["tickets"], data["action"], data["value"])
    verb = dict(BULK_ACTIONS)[data["action"]].lower()
    if result.done:
        numbers = ", ".join(f"#{n}" for n in result.done)
        messages.success(request, f"Done ({verb}) for {len(result.done)}: {numbers}.")
    for number, reason in result.failed:
        messages.error(request, f"#{number} was not changed: {reason}")
    return redirect(back)


def _back(request: HttpRequest) -> str:
    """Where a queue form returns to: a desk queue path, never another site."""
    slug = request.POST.get("queue", "")
    query = request.POST.get("query", "")[:1000]
    if slug not in queries.QUEUE_BY_SLUG:
        slug = "mine"
    params = QueryDict(query, mutable=True)
    params.pop("cursor", None)
    return reverse("desk:queue", args=[slug]) + (f"?{params.urlencode()}" if params else "")


@require_POST
@staff_required
def save_view(request: HttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST)
    back = _back(request)
    if not form.is_valid():
        messages.error(request, "A view needs a name of at most 80 characters.")
        return redirect(back)
    slug = request.POST.get("queue", "")
    if slug not in queries.QUEUE_BY_SLUG:
        slug = "mine"
    params = QueryDict(request.POST.get("query", "")[:1000], mutable=True)
    kept = urlencode([(k, v) for k, v in params.items() if k in FILTER_KEYS])
    saved = run_action(
        form,
        "name",
        lambda: actions.save_view(
            me(request), name=form.cleaned_data["name"], queue=slug, query=kept
        ),
    )
    if saved is None:
        for error in form.errors.get("name", []):
            messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"Saved the view “{saved.name}”.")
    return redirect(view_url(saved.queue, saved.query, saved.pk))


def view_url(slug: str, query: str, view_id: int) -> str:
    base = reverse("desk:queue", args=[slug])
    return f"{base}?{query}&view={view_id}" if query else f"{base}?view={view_id}"


@require_POST
@staff_required
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        actions.delete_view(me(request), view_id)
    except NotFound as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "The view was deleted.")
    return redirect("desk:home")
