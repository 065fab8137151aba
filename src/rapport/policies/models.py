"""Written policies, procedures and knowledge-base articles, with their versions, the
customer-factor review, sign-offs, change proposals, read acknowledgements and their
use on tickets.

A document's text lives in its versions: a published version never changes, editing
starts a new draft. `Document.status` mirrors the newest version's status so the
library filters on one indexed column.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from rapport.directory.models import Organisation, Person, Team
from rapport.tickets.models import Ticket


class Kind(models.TextChoices):
    POLICY = "policy", "Policy"
    PROCEDURE = "procedure", "Procedure"
    ARTICLE = "article", "Article"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class ClientAudience(models.TextChoices):
    NONE = "none", "Staff only"
    ALL = "all", "All clients"
    CHOSEN = "chosen", "Chosen organisations"


# Months between reviews, by kind (policies yearly, the rest twice a year).
REVIEW_MONTHS = {Kind.POLICY: 12, Kind.PROCEDURE: 6, Kind.ARTICLE: 6}


class Document(models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_documents")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="documents")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The version readers see (null until first published; kept after retiring).
    published = models.ForeignKey(
        "Version", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Audience among staff: everyone, or the named teams and staff roles.
    all_staff = models.BooleanField(default=True)
    audience_teams = models.ManyToManyField(Team, blank=True, related_name="+")
    audience_roles = models.JSONField(default=list, blank=True)
    # Articles only: which clients read it, and whether anyone may without signing in.
    client_audience = models.CharField(
        max_length=8, choices=ClientAudience.choices, default=ClientAudience.NONE
    )
    client_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+")
    is_public = models.BooleanField(default=False)
    # The seed exempts documents outside customer service (safety, benefits, ordering).
    outside_customer_service = models.BooleanField(default=False)
    outside_reason = models.TextField(blank=True)
    review_months = models.PositiveSmallIntegerField(default=12)
    next_review_at = models.DateTimeField(null=True, blank=True)
    # More exceptions than this within 30 days opens a change proposal.
    exception_threshold = models.PositiveSmallIntegerField(default=3)
    # Title, tags and the newest version's text, for full-text search (see migration 0002).
    search_text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["kind", "status", "title"], name="document_kind"),
            models.Index(fields=["status", "title"], name="document_status"),
            models.Index(fields=["owner", "next_review_at"], name="document_owner_review"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_article(self) -> bool:
        return self.kind == Kind.ARTICLE


class DocumentTag(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=64)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["document", "name"], name="document_tag_unique")
        ]
        indexes = [models.Index(fields=["name", "document"], name="documenttag_by_name")]


class Approver(models.Model):
    """One step of a document's ordered sign-off list ("team lead", "legal", "the CEO")."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="approvers")
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="approver_position")
        ]


class Version(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_md = models.TextField()
    body_html = models.TextField()
    change_summary = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        "Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    must_read = models.BooleanField(default=False)
    read_within_days = models.PositiveSmallIntegerField(default=14)
    # Why the last sign-off rejected it, shown on the draft it went back to.
    returned_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Review(models.Model):
    """The customer-factor review of one version: "does this let the employee act for
    the benefit of the customer?" (procedures: "does it help the customer, and could a
    new hire follow each step?")."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices)
    customer_view = models.TextField(blank=True)
    employee_view = models.TextField(blank=True)
    company_view = models.TextField(blank=True)
    partner_view = models.TextField(blank=True)
    autonomy = models.TextField(blank=True)
    case_by_case = models.BooleanField(default=False)
    new_hire_can_follow = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SignOff(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="signoffs")
    approver = models.ForeignKey(Approver, on_delete=models.CASCADE, related_name="signoffs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    MERGED = "merged", "Merged"


class Proposal(models.Model):
    """A written change proposal; it is also a ticket to the document's owning team, so
    it has clocks, a queue and a scorecard like any other request."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="proposal")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="proposals")
    version = models.ForeignKey(
        Version, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    clause = models.CharField(max_length=200, blank=True)
    what_is_wrong = models.TextField()
    why = models.TextField()
    proposed_fix = models.TextField()
    linked_tickets = models.ManyToManyField(Ticket, blank=True, related_name="+")
    status = models.CharField(
        max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decision_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Opened by the exception threshold rather than by a person.
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["document", "status"], name="proposal_document")]


class ReadTask(models.Model):
    """One person's task to read one must-read version; done when acknowledged."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="read_tasks")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="read_tasks")
    assigned_at = models.DateTimeField()
    due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="read_task_unique")
        ]
        indexes = [
            models.Index(
                fields=["person", "due_at"],
                name="read_task_open",
                condition=Q(acknowledged_at__isnull=True),
            )
        ]


class CheckQuestion(models.Model):
    """A multiple-choice question a reader must answer right to acknowledge."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    options = models.JSONField()
    correct = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "id"]


class Reconfirmation(models.Model):
    """A periodic review that found the published version still right."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="confirmations")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class Citation(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    version = models.ForeignKey(Version, on_delete=models.SET_NULL, null=True, related_name="+")
    clause = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["document", "created_at"], name="citation_document")]


class ExceptionStatus(models.TextChoices):
    RECORDED = "recorded", "Within autonomy"
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class PolicyException(models.Model):
    """A case-by-case exception to a policy on one ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="policy_exceptions")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="exceptions")
    version = models.ForeignKey(Version, on_delete=models.SET_NULL, null=True, related_name="+")
    agent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    why = models.TextField()
    instead = models.TextField()
    within_autonomy = models.BooleanField()
    status = models.CharField(max_length=8, choices=ExceptionStatus.choices)
    approver = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the approver said with the decision; the agent is told it.
    decision_note = models.TextField(blank=True, default="")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="exceptions"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["document", "created_at"], name="exception_document")]


class Vote(models.Model):
    """ "Was this helpful?": one per person and article (their latest answer counts)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "person"], name="vote_unique")]


class Deflection(models.Model):
    """An article opened from the new-request form; `deflected` once the person left
    without raising the request."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deflections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    deflected = models.BooleanField(default=False)
    created_at = models.DateTimeField()
