"""The clocks of each ticket, and the escalations an agreement asks for."""

from __future__ import annotations

from django.db import models

from rapport.agreements.models import Agreement
from rapport.core.choices import Clock, Priority
from rapport.directory.models import Team
from rapport.tickets.models import Ticket


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    FULFILLED = "fulfilled", "Fulfilled"
    # Stopped without a verdict: the ticket was merged away, or its terms no longer
    # have this target. Attainment leaves cancelled clocks out.
    CANCELLED = "cancelled", "Cancelled"
    # A response clock stopped because the ticket was solved or closed before any
    # public provider reply: no response was given, so it is neither met nor (unless
    # it had run over already) breached. Attainment leaves it out; a reopen resumes it.
    NOT_APPLICABLE = "inapplicable", "Not applicable"  # fits the 12-character column


LIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED)


class TicketClock(models.Model):
    """One measured promise on one ticket: first response, a next response, resolution.

    Business time used is kept in microseconds up to `running_since` (or up to
    the pause); while running, `due_at` is when the target runs out and
    `next_check_at` is when the sweeper must next look (a warning threshold or
    the breach). Next responses get one row per cycle.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="clocks",
                               db_index=False)  # fmt: skip
    kind = models.CharField(max_length=16, choices=Clock.choices)
    cycle = models.PositiveSmallIntegerField(default=1)
    # Led by the clock_attainment index: a second index would only cost writes
    # (the sweeper's updates touch every index of a row on PostgreSQL).
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+",
                                  db_index=False)  # fmt: skip
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    target_minutes = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=ClockState.choices)
    started_at = models.DateTimeField()
    running_since = models.DateTimeField(null=True, blank=True)
    used_us = models.BigIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    warned_percent = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ticket", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "cycle"], name="clock_cycle_unique")
        ]
        indexes = [
            # The sweeper's only read: clocks whose next check has come.
            models.Index(fields=["next_check_at"], name="clock_next_check"),
            # Attainment by agreement and period.
            models.Index(fields=["agreement", "kind", "started_at"], name="clock_attainment"),
            models.Index(fields=["kind", "started_at"], name="clock_kind_started"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.kind}/{self.cycle} {self.state}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class EscalationAction(models.TextChoices):
    NOTIFY = "notify", "Notify"
    RAISE_PRIORITY = "raise_priority", "Raise priority"
    REASSIGN = "reassign", "Reassign to a team's lead"


class Recipient(models.TextChoices):
    ASSIGNEE = "assignee", "The assignee"
    TEAM_LEAD = "team_lead", "The provider team's leads"
    PROVIDER_MANAGER = "provider_manager", "The provider's managers"


class Escalation(models.Model):
    """What happens when a clock of an agreement crosses a threshold (100 = breach)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(
        max_length=16, choices=Clock.choices, blank=True, help_text="Blank: every clock."
    )
    at_percent = models.PositiveSmallIntegerField(help_text="A warning threshold, or 100.")
    action = models.CharField(max_length=16, choices=EscalationAction.choices)
    recipients = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")  # fmt: skip

    class Meta:
        ordering = ["agreement", "at_percent", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.action} at {self.at_percent}%"
