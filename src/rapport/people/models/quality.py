"""Quality reviews of conversations (Zendesk QA's model): reviews with one rating per
rubric category, the weekly sample reviewers work through, calibration sessions,
disputes and coaching.

A review is credited to whoever wrote the public replies reviewed — our agents, an
internal team answering a hand-off, a vendor's or contractor's user — and to the
ticket's provider party, so one quality score measures every provider alike.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Organisation, Party, Person
from rapport.people.models.rubrics import Rubric, RubricCategory
from rapport.tickets.models import Ticket


class ReviewKind(models.TextChoices):
    REVIEW = "review", "Review"
    SELF = "self", "Self-review"
    CALIBRATION = "calibration", "Calibration"


class CalibrationSession(models.Model):
    """Several reviewers score the same conversations blind; scores are revealed when
    the session is closed and never count in quality scores."""

    name = models.CharField(max_length=200)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    tickets = models.ManyToManyField(Ticket, related_name="+")
    reviewers = models.ManyToManyField(Person, related_name="+")
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=12, choices=ReviewKind.choices, default=ReviewKind.REVIEW)
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Who wrote the public replies reviewed (null: nobody known, e.g. only mail replies
    # from an address we do not know) and the providing party of the ticket.
    agent = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        CalibrationSession, on_delete=models.CASCADE, null=True, blank=True,
        related_name="reviews",
    )  # fmt: skip
    # 0–100, null when every category was N/A.
    score = models.FloatField(null=True, blank=True)
    critical_failed = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    coaching_note = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["provider_party", "kind", "created_at"], name="review_provider"),
            models.Index(fields=["agent", "kind", "created_at"], name="review_agent"),
            models.Index(fields=["follow_up_on"], name="review_follow_up"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "reviewer", "session"], name="review_once_per_session",
                condition=models.Q(session__isnull=False),
            ),
        ]  # fmt: skip


class Rating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    category = models.ForeignKey(RubricCategory, on_delete=models.PROTECT, related_name="+")
    # The raw level (0–1 on a binary scale, 1–n otherwise); null is N/A.
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["review", "category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "category"], name="rating_once"),
        ]


class SampleReason(models.TextChoices):
    RANDOM = "random", "Random"
    LOW_CSAT = "low_csat", "Low CSAT"
    BREACH = "breach", "Breached"
    REOPENED = "reopened", "Reopened"
    LONG_THREAD = "long_thread", "Long thread"


class SampleItem(models.Model):
    """One conversation of a provider's weekly sample, waiting in the reviewers' queue."""

    week = models.DateField(help_text="The Monday of the week sampled.")
    provider_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=SampleReason.choices)
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["week", "provider_party", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "provider_party", "ticket"], name="sample_once_a_week"
            ),
        ]
        indexes = [models.Index(fields=["review", "week"], name="sample_queue")]


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    CHANGED = "changed", "Changed"


class Dispute(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="disputes")
    # The category disputed (null: the review as a whole); dispute rates per category
    # point at an ambiguous rubric.
    category = models.ForeignKey(
        RubricCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    status = models.CharField(
        max_length=8, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    arbitrator = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    score_before = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ReviewSharing(models.Model):
    """A vendor's or contractor's manager chooses whether its users see the reviews of
    the organisation's conversations (off until they share)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="review_sharing"
    )
    shared = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()
