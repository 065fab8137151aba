"""CSV and PDF exports of a scorecard (reportlab; the chart is the same SVG, via svglib)."""

from __future__ import annotations

import csv
import io
from typing import Any

from rapport.scorecards.engine import METRICS
from rapport.scorecards.periods import Period

LABELS = {
    "volume_in": "Volume in", "solved": "Solved", "backlog": "Backlog",
    "backlog_oldest_days": "Oldest in backlog (days)", "backlog_over_7_days": "Backlog > 7 days",
    "first_response_attainment": "First response attainment %",
    "resolution_attainment": "Resolution attainment %",
    "first_response_median_minutes": "First response median (business min)",
    "first_response_p90_minutes": "First response p90 (business min)",
    "resolution_median_minutes": "Resolution median (business min)",
    "resolution_p90_minutes": "Resolution p90 (business min)",
    "reopen_rate": "Reopen rate %", "csat": "CSAT %", "nps": "NPS", "ces": "CES",
    "survey_response_rate": "Survey response rate %", "surveys_answered": "Surveys answered",
    "quality_score": "Quality score (review mean) %",
}  # fmt: skip


def _cell(value: Any) -> str:
    return "N/A" if value is None else str(value)


def to_csv(rows: list[dict[str, Any]], period: Period, dimension: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = [dimension, "kind", "period"]
    for name in METRICS:
        header += [name, f"{name}_previous", f"{name}_trend"]
    writer.writerow([*header, "watermelon"])
    for row in rows:
        line = [_safe(row["name"]), row["kind"], period.start.isoformat()]
        for name in METRICS:
            line += [_cell(row["metrics"][name]), _cell(row["previous"][name]),
                     _cell(row["trend"][name])]  # fmt: skip
        writer.writerow([*line, "yes" if row["watermelon"] else "no"])
    return out.getvalue()


def _safe(text: str) -> str:
    """Names are ours to print, not formulas for a spreadsheet to run."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_pdf(rows: list[dict[str, Any]], period: Period, dimension: str, chart_svg: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from svglib.svglib import svg2rlg

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"Scorecard {period.label}")
    story: list[Any] = [Paragraph(f"Scorecards by {dimension} — {period.label}", styles["Title"])]
    drawing = svg2rlg(io.BytesIO(chart_svg.encode()))
    if drawing is not None:
        story += [drawing, Spacer(1, 12)]
    shown = ("volume_in", "solved", "backlog", "first_response_attainment",
             "resolution_attainment", "resolution_median_minutes", "reopen_rate", "csat",
             "nps", "ces", "survey_response_rate")  # fmt: skip
    data = [[dimension.title(), *[LABELS[s].replace(" attainment", "") for s in shown]]]
    for row in rows:
        cells = [row["name"] + (" (watermelon)" if row["watermelon"] else "")]
        for name in shown:
            value, trend = row["metrics"][name], row["trend"][name]
            cells.append(_cell(value) + ("" if trend is None else f" ({trend:+g})"))
        data.append(cells)
    table = Table(
        [[Paragraph(str(c), styles["BodyText"]) for c in line] for line in data], repeatRows=1
    )
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ]))  # fmt: skip
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
