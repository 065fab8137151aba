"""The desk's hot fragments, drawn by Jinja2 templates (`desk/jinja2/desk/`, see
rapport.desk.jinja for why not Django's engine): a thread's messages, a history's
events, "Show earlier" buttons and a queue's rows. Each returns HTML for a Django
template to place as it is."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from rapport.core.choices import Priority
from rapport.desk.jinja import helpers
from rapport.desk.queries.thread import EventRow, MessageRow
from rapport.desk.sla import queue_cell
from rapport.sla.queries import ClockView
from rapport.tickets.models import Channel

CHANNELS = dict(Channel.choices)
PRIORITY_LABELS = {p.value: str(p.label).capitalize() for p in Priority}
EARLIER = {"messages": _("Show earlier messages"), "events": _("Show earlier events")}


def _render(name: str, context: dict[str, Any]) -> SafeString:
    # Each template is compiled once per process (Jinja2's cache); the rendered HTML
    # is escaped by the template's autoescape.
    html = engines["jinja2"].get_template(name).render({**helpers(), **context})
    return mark_safe(html)  # noqa: S308 (escaped by the template)


def messages_html(rows: Iterable[MessageRow]) -> SafeString:
    return _render("desk/_messages.html", {"rows": rows, "channels": CHANNELS})


def events_html(rows: Iterable[EventRow]) -> SafeString:
    return _render("desk/_events.html", {"rows": rows})


def earlier_button(url: str, what: str, tag: str = "p") -> SafeString:
    """Loads the rows before these in its own place (htmx); a plain link without script."""
    return _render("desk/_earlier.html", {"url": url, "label": EARLIER[what], "tag": tag})


def queue_rows(rows: list[dict[str, Any]], badges: dict[int, ClockView]) -> SafeString:
    return _render(
        "desk/_queue_rows.html",
        {
            "rows": rows,
            "badges": lambda number: queue_cell(badges.get(int(number))),
            "priorities": PRIORITY_LABELS,
        },
    )
