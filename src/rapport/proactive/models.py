"""Proactive service: a ticket's mood, clients' risk (now and its history), the
outreach tasks risk opens, breach forecasts of open clocks, and outreach messages."""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Party, Person
from rapport.sla.models import TicketClock
from rapport.tickets.models import Message, Ticket


class TicketMood(models.Model):
    """The trend of a ticket's client messages and whether it is going sour: kept by a
    reaction to `created`/`reply`, so the queue shows a badge with one join."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="mood"
    )
    scores = models.JSONField(default=list, help_text="The client's scores, oldest first.")
    latest = models.FloatField(null=True, blank=True)
    sour = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["sour"], name="proactive_mood_sour")]


class ClientRisk(models.Model):
    """A client party's current risk: the score and the contributions it adds up from."""

    party = models.OneToOneField(
        Party, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    score = models.FloatField()
    contributions = models.JSONField(default=list)
    at_risk = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-score"], name="proactive_risk_score")]


class RiskSnapshot(models.Model):
    """One stored score of one client: the history the at-risk page draws."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", db_index=False)
    taken_at = models.DateTimeField()
    score = models.FloatField()
    contributions = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["party", "taken_at"], name="proactive_snapshot_party")]


class OutreachTask(models.Model):
    """Opened when a client crosses the risk threshold: the account owner calls them."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", db_index=False)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    opened_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["party", "opened_at"], name="proactive_task_party")]


class ClockForecast(models.Model):
    """The chance that an open clock breaches, refreshed by the forecast sweep."""

    clock = models.OneToOneField(
        TicketClock, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", db_index=False)
    probability = models.FloatField()
    factors = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ticket"], name="proactive_forecast_ticket"),
            models.Index(fields=["-probability"], name="proactive_forecast_prob"),
        ]


class OutreachSource(models.TextChoices):
    TICKETS = "tickets", "A list of tickets"
    FILTER = "filter", "A queue filter"
    VENDOR = "vendor", "A vendor incident"


class Outreach(models.Model):
    """One message to every affected client; each gets it as a public reply on their
    own ticket (or a new one), through the normal mail path."""

    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=OutreachSource.choices)
    source_ref = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    created_at = models.DateTimeField()


class OutreachRecipient(models.Model):
    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_ticket = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outreach", "ticket"], name="proactive_one_per_ticket")
        ]
