"""Rubrics: what a role play or a conversation is scored against.

One model serves both uses the people app has:

- **Assessments** (hiring and training role plays) score *dimensions* 1–5, each level
  anchored by a written example ("3: greets the customer but does not use their
  name"), weights equal unless a reason is recorded. The hiring dimensions friendly,
  trainable and competent are built in (``built_in``).
- **Quality reviews** of conversations score *categories* on a binary, 3-, 4- or
  5-point scale with a weight 0–100, optionally critical (below 50 % zeroes the
  review), N/A allowed, a bonus category, and the policy or procedure it checks —
  Zendesk QA's rubric, whose score is Σ(weight × (rating − min)/(max − min)) /
  Σ(weights of rated categories) × 100.

A rating is always stored as the raw level; ``RubricCategory.normalised`` maps it
to 0–1 so both uses share one formula.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Person, Team
from rapport.policies.models import Document


class Purpose(models.TextChoices):
    HIRING = "hiring", "Hiring role play"
    TRAINING = "training", "Training role play"
    QUALITY = "quality", "Quality review"


class Scale(models.IntegerChoices):
    BINARY = 2, "Binary (no / yes)"
    THREE = 3, "3-point"
    FOUR = 4, "4-point"
    FIVE = 5, "5-point"


class Rubric(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # A team's own rubric, or null for one the whole organisation uses.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class RubricCategory(models.Model):
    """A dimension (assessments) or a category (quality reviews) of a rubric."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="categories")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # "friendly", "trainable", "competent" for the built-in hiring dimensions.
    built_in = models.CharField(max_length=16, blank=True)
    scale = models.PositiveSmallIntegerField(choices=Scale.choices, default=Scale.FIVE)
    # One written example per level, lowest first (len == number of levels, or empty).
    anchors = models.JSONField(default=list, blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    weight_reason = models.CharField(max_length=300, blank=True)
    critical = models.BooleanField(default=False)
    allow_na = models.BooleanField(default=False)
    bonus = models.BooleanField(default=False)
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__lte=100), name="rubric_category_weight_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lowest(self) -> int:
        """Binary scales run 0–1; n-point scales run 1–n."""
        return 0 if self.scale == Scale.BINARY else 1

    @property
    def highest(self) -> int:
        return 1 if self.scale == Scale.BINARY else int(self.scale)

    def normalised(self, rating: int) -> float:
        """(rating − min) / (max − min): 0 for the lowest level, 1 for the highest."""
        return (rating - self.lowest) / (self.highest - self.lowest)
