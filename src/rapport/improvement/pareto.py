"""The Pareto of a period: counted reviews by cause, provider, team, document or
trigger, largest first, with the cumulative percentage; and its SVG.

A review counts once it is closed with a cause (a personnel cause once a second
reviewer agreed): `Review.counts`, indexed with `opened_at`, so a period is one
grouped query over an index range whatever the table's size. By document, a review
linked to two documents counts for each.

The chart is drawn by hand rather than with pygal: it needs bars and a line on two
axes in one chart, and a link on every bar (click-through), which pygal's bar charts
do not combine; it is a few rectangles and a polyline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.html import escape

from rapport.directory.models import Party, Team
from rapport.improvement.models import Cause, Review, Trigger
from rapport.policies.models import Document

DIMENSIONS = ("cause", "provider", "team", "document", "trigger")
NONE = "none"
_COLUMN = {"cause": "cause", "provider": "responsible_id", "team": "team_id",
           "trigger": "trigger"}  # fmt: skip


@dataclass
class Bar:
    key: str
    label: str
    count: int
    cumulative: int
    cumulative_pct: float


def counted(since: datetime, until: datetime) -> QuerySet[Review]:
    return Review.objects.filter(counts=True, opened_at__gte=since, opened_at__lt=until)


def _grouped(since: datetime, until: datetime, dimension: str) -> list[tuple[Any, int]]:
    if dimension == "document":
        links = Review.documents.through.objects.filter(
            review__counts=True, review__opened_at__gte=since, review__opened_at__lt=until
        )
        rows = list(links.values_list("document_id").annotate(n=Count("review_id")).order_by())
        bare = counted(since, until).filter(documents__isnull=True).count()
        return [*rows, (None, bare)] if bare else rows
    column = _COLUMN[dimension]
    return list(counted(since, until).values_list(column).annotate(n=Count("id")).order_by())


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None and k != ""]
    if dimension == "cause":
        return dict(Cause.choices)
    if dimension == "trigger":
        return dict(Trigger.choices)
    if dimension == "provider":
        return dict(Party.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "team":
        return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    return dict(Document.objects.filter(pk__in=ids).values_list("pk", "title"))


def pareto(since: datetime, until: datetime, dimension: str) -> list[Bar]:
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    rows = _grouped(since, until, dimension)
    labels = _labels(dimension, [k for k, _ in rows])
    named = [
        (NONE if k in (None, "") else str(k), labels.get(k, "None recorded"), n) for k, n in rows
    ]
    named.sort(key=lambda r: (-r[2], r[1]))
    total = sum(n for _, _, n in named)
    bars, running = [], 0
    for key, label, n in named:
        running += n
        pct = 100.0 if running == total else round(100 * running / total, 1)
        bars.append(Bar(key, label, n, running, pct))
    return bars


def filter_reviews(qs: QuerySet[Review], dimension: str, key: str) -> QuerySet[Review]:
    """The reviews behind one bar (the page a bar clicks through to)."""
    if dimension not in DIMENSIONS:
        return qs.none()
    if dimension == "document":
        return qs.filter(documents__isnull=True) if key == NONE else qs.filter(documents__pk=key)
    column = _COLUMN[dimension]
    if key == NONE:
        return (
            qs.filter(**{f"{column}__isnull": True})
            if column.endswith("_id")
            else qs.filter(**{column: ""})
        )
    if column.endswith("_id") and not key.isdigit():
        return qs.none()
    return qs.filter(**{column: key})


def svg(bars: list[Bar], link: Any, *, width: int = 720, height: int = 320) -> str:
    """Bars sorted descending with the cumulative % line; `link(bar)` is each bar's URL."""
    left, right, top, bottom = 40, 44, 16, 90
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="pareto-chart" aria-label="Pareto chart">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
    ]
    if not bars:
        parts.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" '
                     'fill="#666">No counted reviews in this period.</text></svg>')  # fmt: skip
        return "".join(parts)
    peak = max(b.count for b in bars)
    step = plot_w / len(bars)
    bar_w = max(4.0, step * 0.7)
    points = []
    for i, b in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * b.count / peak
        y = top + plot_h - h
        cx = left + i * step + step / 2
        label = escape(b.label[:24])
        parts.append(
            f'<a href="{escape(link(b))}"><rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}" fill="#2b6cb0"><title>{escape(b.label)}: {b.count} '
            f"({b.cumulative_pct}% cumulative)</title></rect></a>"
            f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{b.count}</text>"
            f'<text transform="translate({cx:.1f},{top + plot_h + 10}) rotate(40)" '
            f'font-size="11" fill="#333">{label}</text>'
        )
        points.append(f"{cx:.1f},{top + plot_h * (1 - b.cumulative_pct / 100):.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#c05621" '
                 'stroke-width="2"/>')  # fmt: skip
    for point in points:
        px, py = point.split(",")
        parts.append(f'<circle cx="{px}" cy="{py}" r="3" fill="#c05621"/>')
    for pct in (0, 50, 80, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(
            f'<text x="{left + plot_w + 4}" y="{y + 4:.1f}" font-size="10" fill="#c05621">'
            f"{pct}%</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h * 0.2:.1f}" x2="{left + plot_w}" '
        f'y2="{top + plot_h * 0.2:.1f}" stroke="#c05621" stroke-dasharray="3 3" opacity="0.4"/>'
    )
    parts.append(
        f'<text x="{left - 6}" y="{top + 10}" font-size="10" text-anchor="end">{peak}</text></svg>'
    )
    return "".join(parts)
