"""The relationship map drawn as SVG on the server: a deterministic circular layout.

Parties sit on one circle grouped by kind (ours, teams, contractors, vendors,
customers), so the same data always gives the same picture. An edge is an arrow
from provider to client, bowed towards the centre so opposite arrows do not
overlap; its label is the period's volume and attainment. The worst edges are
drawn thick and red. Every edge and node links to the tickets behind it.
"""

from __future__ import annotations

import math
from html import escape
from urllib.parse import urlencode

from rapport.chain.queries import Edge, RelationshipMap

SIZE = 960
CENTRE = SIZE / 2
RADIUS = 330
KIND_COLOURS = {
    "own": "#334155", "team": "#2563eb", "contractor": "#9333ea", "vendor": "#d97706",
    "customer": "#059669",
}  # fmt: skip


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def edge_label(edge: Edge) -> str:
    return f"{edge.tickets} · {_percent(edge.attainment)}"


def render(data: RelationshipMap, tickets_url: str) -> str:
    n = max(len(data.parties), 1)
    where: dict[int, tuple[float, float, float]] = {}
    for i, party in enumerate(data.parties):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        where[party.pk] = (CENTRE + RADIUS * math.cos(angle), CENTRE + RADIUS * math.sin(angle),
                           angle)  # fmt: skip
    period = {"since": data.since.isoformat(), "until": data.until.isoformat()}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="100%" role="img" aria-labelledby="map-title" class="chain-map">',
        '<title id="map-title">Who serves whom: parties and their agreements</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#64748b"/></marker><marker id="arrow-worst" viewBox="0 0 10 10" refX="10" '
        'refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#dc2626"/></marker></defs>',
    ]
    # Worst edges last, so they are drawn on top.
    for edge in sorted(data.edges, key=lambda e: (e.worst, e.agreement.pk)):
        a, b = where.get(edge.agreement.provider_id), where.get(edge.agreement.client_id)
        if a is None or b is None:
            continue
        (x1, y1, _), (x2, y2, _) = a, b
        # Stop short of the node circles so the arrowhead shows.
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        sx, sy = x1 + dx / length * 14, y1 + dy / length * 14
        ex, ey = x2 - dx / length * 16, y2 - dy / length * 16
        cx, cy = (sx + ex) / 2, (sy + ey) / 2
        cx, cy = cx + (CENTRE - cx) * 0.25, cy + (CENTRE - cy) * 0.25
        lx, ly = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4  # the curve's midpoint
        colour, width, marker = (
            ("#dc2626", 3.5, "arrow-worst") if edge.worst else ("#94a3b8", 1.4, "arrow")
        )
        href = tickets_url + "?" + urlencode({"agreement": edge.agreement.pk, **period})
        title = (
            f"{edge.agreement.name}: {edge.agreement.provider.name} serves "
            f"{edge.agreement.client.name} ({edge.agreement.kind.upper()}) — {edge.tickets} "
            f"tickets, attainment {_percent(edge.attainment)} (clocks: {edge.achieved} kept, "
            f"{edge.breached} breached, {edge.pending} pending)"
        )
        out.append(
            f'<a href="{escape(href)}" class="edge{" worst" if edge.worst else ""}" '
            f'data-agreement="{edge.agreement.pk}"><title>{escape(title)}</title>'
            f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="{width}" marker-end="url(#{marker})"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="middle" '
            f'paint-order="stroke" stroke="#fff" stroke-width="3" '
            f'fill="{"#b91c1c" if edge.worst else "#334155"}">{escape(edge_label(edge))}</text></a>'
        )
    for party in data.parties:
        x, y, angle = where[party.pk]
        colour = KIND_COLOURS.get(party.kind, "#64748b")
        # Labels outside the circle, anchored away from it so they never cover an edge.
        tx, ty = x + 18 * math.cos(angle), y + 18 * math.sin(angle) + 4
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        if anchor == "middle":
            ty += 8 if math.sin(angle) > 0 else -6
        out.append(
            f'<g class="node" data-party="{party.pk}"><title>{escape(party.name)} '
            f"({escape(party.kind)})</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="{colour}"/>'
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="#0f172a">{escape(_short(party.name))}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
