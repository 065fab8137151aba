"""Trend charts as SVG (pygal), rendered on the server so the same chart serves the
page, the e-mail digest and the PDF export; no script is embedded."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pygal.style import Style


@cache
def _style() -> Style:
    # pygal (and the lxml it loads) is imported on the first chart, not when the URLs
    # load: about 5 MiB that a web process serving no scorecard never needs.
    from pygal.style import Style

    return Style(
        background="white", plot_background="white", foreground="#333",
        foreground_strong="#111", foreground_subtle="#ddd",
        colors=("#2b6cb0", "#2f855a", "#c05621", "#6b46c1"),
        font_family="sans-serif",
    )  # fmt: skip


def trend_svg(points: list[dict[str, Any]], *, title: str = "Attainment and satisfaction") -> str:
    """A line chart of first-response and resolution attainment and CSAT (percent),
    one point per period; N/A periods leave a gap."""
    import pygal

    chart = pygal.Line(
        style=_style(), width=720, height=300, range=(0, 100), show_dots=True,
        dots_size=3, js=[], disable_xml_declaration=True, legend_at_bottom=True,
        title=title, x_label_rotation=0, allow_interruptions=True, explicit_size=True,
    )  # fmt: skip
    chart.x_labels = [p["period"].label for p in points]
    chart.add("First response %", [p["first_response_attainment"] for p in points])
    chart.add("Resolution %", [p["resolution_attainment"] for p in points])
    chart.add("CSAT %", [p["csat"] for p in points])
    svg = str(chart.render(is_unicode=True))
    # pygal writes its tooltip settings in a <script> even with js=[]: mail clients
    # and PDF renderers ignore it at best, and a page needs no script from a chart.
    return _SCRIPT.sub("", svg)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
