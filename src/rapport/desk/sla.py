"""Where service-level information joins the desk's pages.

`queue_cell` is the SLA column of one queue row (a due-time badge, a breach) and
renders nothing until the SLA engine fills it in; the ticket columns it needs are
named in `ROW_FIELDS` (they are read with the row's other values). The ticket
page's SLA clocks go in the template `desk/_sla_panel.html`. Queue rows are
rendered in Python (see `desk.rows`), so the row's hook is a function.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe

ROW_FIELDS: tuple[str, ...] = ()


def queue_cell(row: dict[str, Any]) -> SafeString:
    return mark_safe("")
