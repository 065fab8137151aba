"""Outcome reviews, problems, corrective actions and their effectiveness checks.

A review is opened by a reaction to a bad outcome (a breach, a low rating, a reopen, a
complaint, a watermelon provider, a critical quality fail) and keyed by its source
(`source`, unique), so a reaction run twice cannot open a second one.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Party, Person, Team
from rapport.policies.models import Document, Proposal
from rapport.tickets.models import Ticket


class Trigger(models.TextChoices):
    BREACH = "breach", "Breached clock"
    CSAT = "csat", "Low CSAT (1–2)"
    CES = "ces", "Hard to get help (CES 5–7)"
    NPS = "nps", "NPS detractor (0–6)"
    REOPEN = "reopen", "Reopened"
    COMPLAINT = "complaint", "Complaint"
    WATERMELON = "watermelon", "Watermelon provider"
    QA_CRITICAL = "qa_critical", "Critical quality fail"


class Cause(models.TextChoices):
    POLICY = "policy", "Policy"
    PROCEDURE = "procedure", "Procedure"
    TRAINING = "training", "Training"
    MANAGEMENT = "management", "Management"
    PERSONNEL = "personnel", "Personnel"
    OUTSIDE = "outside", "Outside our control"


class TriggerRule(models.Model):
    """Whether a trigger opens a review for every event or a share of them."""

    trigger = models.CharField(max_length=16, choices=Trigger.choices, unique=True)
    enabled = models.BooleanField(default=True)
    share = models.PositiveSmallIntegerField(default=100, help_text="Percent of events, 1–100.")
    seed = models.PositiveIntegerField(default=0)


class Reviewer(models.Model):
    """Who reviews the outcomes of one provider (taken in turn)."""

    provider = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "person"], name="improvement_reviewer_unique"
            )
        ]


class Preferences(models.Model):
    """One row: the figures an admin may tune."""

    word_of_mouth_factor = models.PositiveSmallIntegerField(default=9)
    effectiveness_days = models.PositiveSmallIntegerField(default=60)


class Sighting(models.Model):
    """A triggering event met by a sampled trigger, and whether it was taken: the
    position in its stratum (trigger × provider) decides, so a replay decides alike."""

    source = models.CharField(max_length=80, unique=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    provider_id_key = models.BigIntegerField(default=0)
    position = models.PositiveIntegerField()
    taken = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(
                fields=["trigger", "provider_id_key", "position"],
                name="improvement_sighting_stratum",
            )
        ]


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Problem(models.Model):
    """Reviews that share a cause, worked as one."""

    title = models.CharField(max_length=200)
    cause = models.CharField(max_length=16, choices=Cause.choices, blank=True)
    provider = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    reopened = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Review(models.Model):
    source = models.CharField(max_length=80, unique=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The provider whose outcome it was (the ticket's provider, or the watermelon).
    provider = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    reviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    cause = models.CharField(max_length=16, choices=Cause.choices, blank=True)
    cause_reason = models.TextField(blank=True)
    proposed_responsible = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    whys = models.JSONField(default=list, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    problem = models.ForeignKey(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    # Personnel counts only once a second reviewer agrees (system's fault first).
    agreed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counts = models.BooleanField(default=False, help_text="Closed with a cause that counts.")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(
                fields=["reviewer", "status", "opened_at"], name="improvement_review_queue"
            ),
            # Covering the Pareto: a period's counted reviews grouped by any dimension
            # are read from the index alone (no table row per review).
            models.Index(
                fields=["counts", "opened_at", "cause", "trigger", "responsible", "team"],
                name="improvement_review_counted",
            ),
            models.Index(
                fields=["cause", "responsible", "opened_at"], name="improvement_review_cause"
            ),
        ]


class ActionKind(models.TextChoices):
    CHANGE_PROPOSAL = "change_proposal", "Change proposal"
    TRAINING = "training", "Training assignment"
    COACHING = "coaching", "Coaching and observation"
    UC_REVIEW = "uc_review", "Underpinning contract review"
    NOTE = "note", "Record only"


class ActionState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Effect(models.TextChoices):
    UNCHECKED = "", "Not checked yet"
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class CorrectiveAction(models.Model):
    """A task with an owner, a due date and a state (see actions/corrective.py for why
    a task and not a ticket)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    cause = models.CharField(max_length=16, choices=Cause.choices)
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    title = models.CharField(max_length=200)
    # For a change proposal: what is wrong, why, and (detail) the proposed fix.
    what_is_wrong = models.TextField(blank=True)
    why = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)
    # The responsible provider: a vendor user sees the actions addressed to its organisation.
    provider = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    people = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=12, choices=ActionState.choices, default=ActionState.PROPOSED
    )
    due_on = models.DateField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    check_on = models.DateField(null=True, blank=True)
    check_claimed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    effect = models.CharField(max_length=16, choices=Effect.choices, blank=True, default="")
    before_reviews = models.PositiveIntegerField(null=True, blank=True)
    before_tickets = models.PositiveIntegerField(null=True, blank=True)
    after_reviews = models.PositiveIntegerField(null=True, blank=True)
    after_tickets = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["check_on"],
                condition=models.Q(check_claimed_at__isnull=True),
                name="improvement_action_check_due",
            ),
            models.Index(fields=["provider", "state"], name="improvement_action_provider"),
        ]

    @property
    def before_rate(self) -> float | None:
        return _rate(self.before_reviews, self.before_tickets)

    @property
    def after_rate(self) -> float | None:
        return _rate(self.after_reviews, self.after_tickets)


def _rate(reviews: int | None, tickets: int | None) -> float | None:
    if reviews is None or not tickets:
        return None
    return round(100 * reviews / tickets, 2)
