"""Satisfaction surveys: what each agreement asks, and one survey per solved ticket."""

from __future__ import annotations

from django.db import models

from rapport.agreements.models import Agreement
from rapport.directory.models import Party, Person
from rapport.tickets.models import Ticket


class Metric(models.TextChoices):
    CSAT = "csat", "Satisfaction (CSAT, 1–5)"
    CES = "ces", "Effort (CES 2.0, 1–7)"
    NPS = "nps", "Recommendation (NPS, 0–10)"


# The inclusive scale of each metric.
SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}
QUESTIONS: dict[str, str] = {
    "csat": "How satisfied are you with how your request was handled?",
    "ces": "The team made it easy to handle my issue.",
    "nps": "How likely are you to recommend us to a friend or colleague?",
}


class SurveySettings(models.Model):
    """What an agreement's clients are asked once their ticket is solved."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="survey_settings"
    )
    enabled = models.BooleanField(default=True)
    csat = models.BooleanField(default=True)
    ces = models.BooleanField(default=False)
    nps = models.BooleanField(default=False)
    ask_comment = models.BooleanField(default=True)
    delay_minutes = models.PositiveIntegerField(
        default=60, help_text="How long after the ticket is solved the survey goes out."
    )

    @property
    def metrics(self) -> list[str]:
        return [m for m in Metric.values if getattr(self, m)]


class SurveyState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"
    SUPPRESSED = "suppressed", "Not sent"


class Survey(models.Model):
    """The one survey of a solved ticket (the unique ticket makes it at most once).

    Provider, agreement and agent are copied at solve time: the rating is
    credited to who did the work then, even if the ticket moves later.
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    provider_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    # The agent who actually answered: the author of the last public provider reply.
    agent = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    metrics = models.JSONField(default=list)
    ask_comment = models.BooleanField(default=True)
    state = models.CharField(max_length=12, choices=SurveyState.choices)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(help_text="When the ticket was solved.")
    send_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    ces = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sender's only read: scheduled surveys whose time has come.
            models.Index(fields=["state", "send_at"], name="survey_due"),
            models.Index(fields=["created_at", "provider_party"], name="survey_period"),
        ]

    def __str__(self) -> str:
        return f"Survey of #{self.ticket_id} ({self.state})"
