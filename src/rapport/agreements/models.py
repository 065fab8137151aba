"""Service agreements (SLA, OLA, UC) and the business calendars they are measured in."""

from __future__ import annotations

from django.db import models

from rapport.core.choices import Priority
from rapport.directory.models import Party


class Calendar(models.Model):
    """Business hours of an agreement; the arithmetic lives in the SLA engine.

    `weekly_hours` is a list of {"weekday": 0-6 (Monday=0), "start": "HH:MM",
    "end": "HH:MM"}; an end before its start runs past midnight. `closed_dates`
    is a list of {"start": date, "end": date, "name": str} ranges, inclusive.
    `date_overrides` is a list of {"date": date, "hours": [{"start", "end"}], "name"}:
    that date's hours replace the weekly hours (no hours: closed). `breaks` is a
    list of {"date": date, "start": "HH:MM", "end": "HH:MM", "name"} removed from
    that date's hours.
    """

    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    always_open = models.BooleanField(default=False, help_text="24×7: ignore weekly hours.")
    weekly_hours = models.JSONField(default=list, blank=True)
    holiday_country = models.CharField(max_length=8, blank=True)
    holiday_subdivision = models.CharField(max_length=16, blank=True)
    closed_dates = models.JSONField(default=list, blank=True)
    date_overrides = models.JSONField(default=list, blank=True)
    breaks = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    SLA = "sla", "SLA (customer)"
    OLA = "ola", "OLA (internal team)"
    UC = "uc", "UC (vendor or contractor)"


def default_pauses() -> dict[str, list[str]]:
    return {
        "first_response": ["pending_client"],
        "next_response": ["pending_client"],
        "resolution": ["pending_client"],
    }


def default_warning_percents() -> list[int]:
    return [50, 75, 90]


class Agreement(models.Model):
    """What a provider promises a client; the kind is a label, not a code path."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=AgreementKind.choices)
    provider = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="agreements")
    active_from = models.DateField()
    active_until = models.DateField(null=True, blank=True)
    # Which status categories stop which clock, e.g. {"resolution": ["pending_client"]}.
    pauses = models.JSONField(default=default_pauses)
    default_priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.NORMAL
    )
    clients_choose_priority = models.BooleanField(default=False)
    # Shares of a target at which a running clock raises a warning (a breach is 100).
    warning_percents = models.JSONField(default=default_warning_percents, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["provider", "client", "active_from"])]

    def __str__(self) -> str:
        return self.name


class AgreementTarget(models.Model):
    """Targets for one priority, in business minutes; blank means no target."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-priority"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "priority"], name="target_per_priority")
        ]
