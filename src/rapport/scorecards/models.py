"""Weighted scorecards of vendors, contractors and internal teams.

A scorecard has criteria, each a scorecard metric or a rating entered at review,
with a weight (the weights sum to 100) and a maximum score. The figures themselves
are not stored: they are computed from tickets, clocks and surveys (engine.py).
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Party, Person


def default_standings() -> list[dict[str, object]]:
    return [
        {"name": "Very poor", "min": 0},
        {"name": "Poor", "min": 40},
        {"name": "Average", "min": 60},
        {"name": "Excellent", "min": 80},
    ]


class WeightedScorecard(models.Model):
    provider = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    period_kind = models.CharField(max_length=8, default="month")
    # How many periods the overall score covers; newer periods weigh more (1, 2, … n).
    history = models.PositiveSmallIntegerField(default=4)
    # Standings by the lowest score (0–100) that reaches them, e.g. Poor from 40.
    standings = models.JSONField(default=default_standings)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    MANUAL = "manual"

    scorecard = models.ForeignKey(
        WeightedScorecard, on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(max_length=200)
    # A metric of engine.METRICS, or "manual" for a rating entered at review.
    metric = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField(default=10)
    # For time metrics: full marks at or under this many business minutes.
    target = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["scorecard", "id"]


class ManualRating(models.Model):
    """A score given at a review for one criterion and one period."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    period_start = models.DateField()
    score = models.FloatField()
    note = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "period_start"], name="one_rating_per_period"
            )
        ]


class DigestSent(models.Model):
    """One digest of one provider for one period: the scheduler may run twice,
    the digest goes out once."""

    provider = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period_kind", "period_start"], name="one_digest_per_period"
            )
        ]


class RolledUpDay(models.Model):
    """A day whose figures are in DailyFigures (see rollups.py)."""

    day = models.DateField(unique=True)
    computed_at = models.DateTimeField()


class DailyFigures(models.Model):
    """The additive figures of one UTC day for one (provider, agreement, agent).

    One column per count of engine.COUNTS, so a period sums them in SQL; the business
    minutes of fulfilled first-response and resolution clocks are kept whole, as
    comma-separated text a period concatenates in SQL, so medians and p90 stay exact.
    """

    day = models.DateField()
    provider_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, null=True, related_name="+"
    )
    agent = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, related_name="+")
    volume_in = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    fr_achieved = models.PositiveIntegerField(default=0)
    fr_breached = models.PositiveIntegerField(default=0)
    fr_pending = models.PositiveIntegerField(default=0)
    res_achieved = models.PositiveIntegerField(default=0)
    res_breached = models.PositiveIntegerField(default=0)
    res_pending = models.PositiveIntegerField(default=0)
    surveys_sent = models.PositiveIntegerField(default=0)
    surveys_answered = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_sat = models.PositiveIntegerField(default=0)
    ces_n = models.PositiveIntegerField(default=0)
    ces_sum = models.PositiveIntegerField(default=0)
    nps_n = models.PositiveIntegerField(default=0)
    nps_pro = models.PositiveIntegerField(default=0)
    nps_det = models.PositiveIntegerField(default=0)
    fr_minutes = models.TextField(blank=True)
    res_minutes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["day", "provider_party"], name="daily_figures_day")]


class BacklogSnapshot(models.Model):
    """The backlog at 00:00 UTC of `day` per (provider, agreement, agent), taken then."""

    day = models.DateField()
    provider_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, null=True, related_name="+"
    )
    agent = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, related_name="+")
    count = models.PositiveIntegerField()
    over_7_days = models.PositiveIntegerField()
    oldest = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["day", "provider_party"], name="backlog_snapshot_day")]
