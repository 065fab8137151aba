"""After hire, did the assessment predict? Hiring scores per dimension against the
person's first 90 days: CSAT (share of 4–5 on the surveys credited to them) and reopen
rate (share of the tickets they solved that were reopened). Quality review scores join
when the quality reviews exist.

Pearson's r per dimension and outcome (`statistics.correlation`), over the hires that
have both a hiring score and the outcome. Hidden while fewer than `MIN_HIRES` hires
have both: a correlation over a handful of people reads as a finding and is noise.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q

from rapport.core.errors import NotFound
from rapport.directory.queries import Scope
from rapport.people.models import AssessmentStatus, Candidate, Purpose, Score
from rapport.surveys.models import Survey
from rapport.tickets.models import Ticket

MIN_HIRES = 10
WINDOW = timedelta(days=90)
OUTCOMES = ("csat", "reopen_rate")


def hire_rows() -> list[dict[str, Any]]:
    """One row per hire: mean level per dimension, and the first 90 days' figures."""
    hires = list(Candidate.objects.filter(hired_as__isnull=False).select_related("hired_as"))
    if not hires:
        return []
    levels: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for candidate_id, name, level in Score.objects.filter(
        seat__assessment__candidate__in=hires, seat__assessment__purpose=Purpose.HIRING,
        seat__assessment__status=AssessmentStatus.REVEALED,
    ).values_list("seat__assessment__candidate_id", "category__name", "level"):  # fmt: skip
        levels[candidate_id][name].append(level)
    rows = []
    for c in hires:
        person = c.hired_as
        assert person is not None
        start, end = person.date_joined, person.date_joined + WINDOW
        surveys = Survey.objects.filter(
            agent=person, csat__isnull=False, created_at__gte=start, created_at__lt=end
        ).aggregate(n=Count("pk"), good=Count("pk", filter=Q(csat__gte=4)))
        solved = Ticket.objects.filter(
            assignee=person, solved_at__gte=start, solved_at__lt=end
        ).aggregate(n=Count("pk"), reopened=Count("pk", filter=Q(reopen_count__gt=0)))
        rows.append({
            "candidate": c,
            "scores": {n: sum(v) / len(v) for n, v in levels[c.pk].items()},
            "csat": 100 * surveys["good"] / surveys["n"] if surveys["n"] else None,
            "reopen_rate": 100 * solved["reopened"] / solved["n"] if solved["n"] else None,
        })  # fmt: skip
    return rows


def report(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    complete = [r for r in rows if r["scores"] and any(r[o] is not None for o in OUTCOMES)]
    if len(complete) < MIN_HIRES:
        return {"hidden": True, "hires": len(complete), "needed": MIN_HIRES, "rows": []}
    dimensions = sorted({d for r in complete for d in r["scores"]})
    table = []
    for d in dimensions:
        line: dict[str, Any] = {"dimension": d}
        for outcome in OUTCOMES:
            pairs = [(r["scores"][d], r[outcome]) for r in complete
                     if d in r["scores"] and r[outcome] is not None]  # fmt: skip
            try:
                r_value = statistics.correlation([a for a, _ in pairs], [b for _, b in pairs])
            except statistics.StatisticsError:
                r_value = None  # fewer than two pairs, or no variation
            line[outcome] = None if r_value is None else round(r_value, 2)
            line[f"{outcome}_n"] = len(pairs)
        table.append(line)
    return {"hidden": False, "hires": len(complete), "needed": MIN_HIRES, "rows": table}


def prediction(scope: Scope) -> dict[str, Any]:
    if not scope.sees_everything:
        raise NotFound("There is no such report for you.")
    return report(hire_rows())
