"""The manager's dashboard: the desk's landing page for managers and admins.

Every figure links to the desk queue that lists the tickets behind it (the queue's
figure filters apply the same rules as `queries.dashboard`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rapport.agreements.models import AgreementKind
from rapport.core import clock
from rapport.desk import charts
from rapport.desk.queries import dashboard as queries
from rapport.desk.views import sidebar
from rapport.directory.access import my_scope, staff_required

KIND_LABELS = {"sla": "SLA · customers", "ola": "OLA · internal teams",
               "uc": "UC · vendors and contractors"}  # fmt: skip


def tickets_url(slug: str = "all", **filters: Any) -> str:
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("desk:queue", args=[slug]) + (f"?{query}" if query else "")


@require_GET
@staff_required
@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = my_scope(request)
    now = clock.now()
    volume = queries.volume(scope, now)
    trend = queries.trend(scope, now)
    weeks = trend.weeks
    links = queries.worst_links(scope, now)
    for link in links:
        link["url"] = tickets_url(provider=link["id"], created="month", breached=link["kind"])
        link["kind_label"] = AgreementKind(link["kind"]).label if link["kind"] else ""
    backlog = queries.backlog(scope)
    for row in backlog:
        row["url"] = tickets_url(provider=row["id"], state="unsolved")
        row["unassigned_url"] = tickets_url("unassigned", provider=row["id"])
    breaches = [
        {"kind": kind, "label": KIND_LABELS[kind], **figures,
         "breached_url": tickets_url(breached=kind), "near_url": tickets_url(near=kind)}
        for kind, figures in queries.breaches(scope, now).items()
    ]  # fmt: skip
    follow_ups = queries.follow_ups(scope, now)
    follow_urls = {
        "proposals": tickets_url(proposal="open"),
        "reads": reverse("policies:library"),
        "reviews": reverse("policies:library"),
    }
    for item in follow_ups:
        item["url"] = follow_urls.get(item["key"], "")
    context = {
        **sidebar(request, "dashboard"),
        "volume": [
            {"label": "Received today", "count": volume["received_today"],
             "url": tickets_url(created="today")},
            {"label": "Received this week", "count": volume["received_week"],
             "url": tickets_url(created="week")},
            {"label": "Solved today", "count": volume["solved_today"],
             "url": tickets_url(solved="today")},
            {"label": "Solved this week", "count": volume["solved_week"],
             "url": tickets_url(solved="week")},
        ],
        "backlog": backlog,
        "backlog_total": sum(row["total"] for row in backlog),
        "breaches": breaches,
        "this_week": trend.last,
        "chart": charts.trend_svg(
            [w.label for w in weeks], [w.attainment for w in weeks], [w.csat for w in weeks]
        ),
        "weeks": weeks,
        "worst_links": links,
        "follow_ups": follow_ups,
    }  # fmt: skip
    return render(request, "desk/dashboard.html", context)
