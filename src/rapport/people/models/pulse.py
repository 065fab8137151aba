"""Staff pulse and eNPS.

Answers are stored without their author: `PulseAnswer` has no person and no time of its
own, and who has answered is a separate row (`PulseParticipation`) so nobody answers
twice. A comment's author finds their own comment again through a keyed hash
(`author_key`) that only the application can compute; nothing stored names them.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Person, Team
from rapport.policies.models import Proposal

# The fixed eNPS question and the staff-attitude items a survey may ask (1–5 each).
ENPS_QUESTION = "How likely are you to recommend working here to a friend? (0–10)"
ITEMS: dict[str, str] = {
    "valued": "I feel valued.",
    "listened": "My ideas are listened to.",
    "training": "I get the training I need.",
    "expectations": "Expectations are clear.",
    "autonomy": "I have the autonomy to help customers.",
    "follow_up": "My manager follows up.",
    "tools": "I have the tools I need.",
    "recognition": "Good work is recognised here.",
}
MAX_ITEMS = 8
DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91}


class PulseSurvey(models.Model):
    """A team's pulse: the eNPS question, up to eight items and a comment, on a cadence."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="pulse")
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    items = models.JSONField(default=list)
    threshold = models.PositiveSmallIntegerField(default=DEFAULT_THRESHOLD)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=MIN_THRESHOLD), name="pulse_threshold_min"
            ),
        ]


class PulseRound(models.Model):
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="rounds")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["survey", "opens_at"], name="pulse_round_when")]


class PulseParticipation(models.Model):
    """That someone answered a round — never what they answered."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="pulse_answer_once"),
        ]


class PulseAnswer(models.Model):
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    enps = models.PositiveSmallIntegerField()
    items = models.JSONField(default=dict)


class PulseComment(models.Model):
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    author_key = models.CharField(max_length=64, db_index=True)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "You said, we did": when the team was told the proposal's decision.
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class PulseReply(models.Model):
    comment = models.ForeignKey(PulseComment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
