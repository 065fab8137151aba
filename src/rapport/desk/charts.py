"""The dashboard's trend chart as SVG (pygal), drawn on the server like the
scorecards' charts: no script in the page."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


@cache
def _style() -> Any:
    # pygal (and the lxml it loads) is imported on the first chart, not when the URLs
    # load: a web process that serves no dashboard never pays for it.
    from pygal.style import Style

    return Style(
        background="white", plot_background="white", foreground="#333",
        foreground_strong="#111", foreground_subtle="#ddd",
        colors=("#2b6cb0", "#2f855a"), font_family="sans-serif",
    )  # fmt: skip


def trend_svg(labels: list[str], attainment: list[float | None], csat: list[float | None]) -> str:
    """Attainment and CSAT (percent) per week; a week with no figure leaves a gap."""
    import pygal

    chart = pygal.Line(
        style=_style(), width=720, height=280, range=(0, 100), show_dots=True,
        dots_size=3, js=[], disable_xml_declaration=True, legend_at_bottom=True,
        title="Attainment and satisfaction, by week", x_label_rotation=0,
        allow_interruptions=True, explicit_size=False,
    )  # fmt: skip
    chart.x_labels = labels
    chart.add("Attainment %", attainment)
    chart.add("CSAT %", csat)
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))
