"""Pulse results and team health — aggregates only.

No query here returns an answer row or who wrote a comment: results are per group
(team, company) and period, suppressed below the anonymity threshold, also when one
group could be recovered by subtracting the others from the company
(`quality_formulas.suppressed_groups`). Comments follow their group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from rapport.directory.models import Team
from rapport.people import kudos_queries, quality_queries
from rapport.people.actions.pulse import author_key
from rapport.people.models import (
    PulseAnswer,
    PulseComment,
    PulseParticipation,
    PulseRound,
    PulseSurvey,
)
from rapport.people.models.pulse import DEFAULT_THRESHOLD, ITEMS
from rapport.people.quality_formulas import enps, suppressed_groups
from rapport.sla.models import TicketClock
from rapport.sla.queries import attainment_counts
from rapport.surveys.models import Survey

COMPANY = "company"


@dataclass
class GroupResult:
    key: str  # a team id as text, or "company"
    name: str
    answers: int
    invited: int
    suppressed: bool
    enps: float | None = None
    items: dict[str, float] = field(default_factory=dict)
    comments: list[PulseComment] = field(default_factory=list)


def results(since: datetime, until: datetime, *, with_comments: bool = True) -> list[GroupResult]:
    """Every team with a pulse, and the company, for rounds opened in [since, until)."""
    rounds = list(PulseRound.objects.filter(opens_at__gte=since, opens_at__lt=until)
                  .select_related("survey__team"))  # fmt: skip
    by_team: dict[int, list[PulseRound]] = defaultdict(list)
    for r in rounds:
        by_team[r.survey.team_id].append(r)
    answers = defaultdict(list)
    for round_id, e, items in PulseAnswer.objects.filter(round__in=rounds).values_list(
        "round_id", "enps", "items"
    ):
        answers[round_id].append((e, items))
    threshold = max([DEFAULT_THRESHOLD, *(r.survey.threshold for r in rounds)])
    counts = {str(t): sum(len(answers[r.pk]) for r in rs) for t, rs in by_team.items()}
    total = sum(counts.values())
    hidden, company_hidden = suppressed_groups(total, counts, threshold)
    comments: dict[int, list[PulseComment]] = defaultdict(list)
    if with_comments:
        for c in PulseComment.objects.filter(round__in=rounds).select_related(
            "proposal").prefetch_related("replies__author"):  # fmt: skip
            comments[c.round_id].append(c)

    def summarise(key: str, name: str, rs: list[PulseRound], hide: bool) -> GroupResult:
        rows = [a for r in rs for a in answers[r.pk]]
        out = GroupResult(key=key, name=name, answers=len(rows),
                          invited=sum(r.invited for r in rs), suppressed=hide)  # fmt: skip
        if hide:
            return out
        out.enps = enps(e for e, _ in rows)
        sums: dict[str, list[int]] = defaultdict(list)
        for _, items in rows:
            for k, v in items.items():
                sums[k].append(v)
        out.items = {k: round(sum(v) / len(v), 2) for k, v in sums.items() if k in ITEMS}
        out.comments = [c for r in rs for c in comments[r.pk]]
        return out

    groups = [
        summarise(str(t), rs[0].survey.team.name, rs, str(t) in hidden)
        for t, rs in sorted(by_team.items(), key=lambda kv: kv[1][0].survey.team.name)
    ]
    company = summarise(COMPANY, "Company", rounds, company_hidden)
    company.comments = []  # comments are read where they were said: per team
    return [company, *groups]


def open_rounds_for(person_id: int, now: datetime) -> list[PulseRound]:
    """Rounds of the person's teams open now that they have not answered."""
    return list(
        PulseRound.objects.filter(
            survey__team__memberships__person_id=person_id, survey__is_active=True,
            opens_at__lte=now, closes_at__gt=now,
        ).exclude(
            pk__in=PulseParticipation.objects.filter(person_id=person_id).values("round_id")
        ).select_related("survey__team")
    )  # fmt: skip


def my_comments(person_id: int) -> list[PulseComment]:
    """The person's own comments with the replies to them (found by the keyed hash)."""
    rounds = PulseRound.objects.filter(survey__team__memberships__person_id=person_id)
    keys = {author_key(person_id, pk): pk for pk in rounds.values_list("pk", flat=True)}
    return list(PulseComment.objects.filter(author_key__in=list(keys)).select_related(
        "round__survey__team", "proposal").prefetch_related("replies__author"))  # fmt: skip


def surveys() -> list[PulseSurvey]:
    return list(PulseSurvey.objects.select_related("team"))


# --- team health ----------------------------------------------------------------------

GREEN_ATTAINMENT = 0.9
GREEN_CSAT = 80.0
GREEN_QUALITY = 80.0


@dataclass
class Health:
    team: Team
    enps: float | None
    enps_suppressed: bool
    ola_attainment: float | None
    csat: float | None
    quality: float | None
    kudos_received: int
    kudos_given: int

    @property
    def service_green(self) -> bool:
        """Every service figure known is green, and at least one is known."""
        checks = [
            (self.ola_attainment, GREEN_ATTAINMENT), (self.csat, GREEN_CSAT),
            (self.quality, GREEN_QUALITY),
        ]  # fmt: skip
        known = [(v, t) for v, t in checks if v is not None]
        return bool(known) and all(v >= t for v, t in known)

    @property
    def watermelon(self) -> bool:
        """Green outside, red inside: the service looks fine while staff would not
        recommend working here."""
        return self.service_green and self.enps is not None and self.enps < 0


def team_health(teams: list[Team], since: datetime, until: datetime,
                now: datetime) -> list[Health]:  # fmt: skip
    """Health of many teams in a fixed number of grouped queries."""
    parties = {t.party_id: t for t in teams}
    pulse = {g.key: g for g in results(since, until, with_comments=False)}
    clocks = (
        TicketClock.objects.filter(started_at__gte=since, started_at__lt=until,
                                   ticket__provider_party_id__in=list(parties),
                                   agreement__kind="ola")
        .values("ticket__provider_party_id").annotate(**attainment_counts(now)).order_by()
    )  # fmt: skip
    attainment: dict[int, float | None] = {}
    for row in clocks:
        decided = row["achieved"] + row["breached"]
        attainment[row["ticket__provider_party_id"]] = (
            round(row["achieved"] / decided, 4) if decided else None
        )
    csat_rows = (
        Survey.objects.filter(provider_party_id__in=list(parties), csat__isnull=False,
                              answered_at__gte=since, answered_at__lt=until)
        .values("provider_party_id")
        .annotate(n=Count("id"), happy=Count("id", filter=Q(csat__gte=4))).order_by()
    )  # fmt: skip
    csat = {r["provider_party_id"]: round(r["happy"] / r["n"] * 100, 1) for r in csat_rows}
    quality = quality_queries.quality_scores("provider", since=since, until=until,
                                             ids=list(parties))  # fmt: skip
    kudos = kudos_queries.team_counts([t.pk for t in teams], since=since, until=until)
    out = []
    for t in teams:
        group = pulse.get(str(t.pk))
        out.append(Health(
            team=t, enps=group.enps if group else None,
            enps_suppressed=bool(group and group.suppressed),
            ola_attainment=attainment.get(t.party_id), csat=csat.get(t.party_id),
            quality=quality.get(t.party_id, (None, 0))[0],
            kudos_received=kudos[t.pk][1], kudos_given=kudos[t.pk][0],
        ))  # fmt: skip
    return out


def item_labels() -> dict[str, str]:
    return dict(ITEMS)
