"""Tickets, their thread (messages and attachments) and their append-only event log."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q

from rapport.agreements.models import Agreement
from rapport.core.choices import Priority, StatusCategory
from rapport.directory.models import Party, Person


class Status(models.Model):
    """A named status; its category is what clocks, queues and reports use."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    category = models.CharField(max_length=16, choices=StatusCategory.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(
        default=False, help_text="The status a new or reopened ticket of this category gets."
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "statuses"

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "E-mail"
    API = "api", "API"
    PHONE = "phone", "Phone"


class Tag(models.Model):
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    """A request from a client party to a provider party.

    The primary key is the ticket number people quote ("#1234").
    `status_category` mirrors `status.category` so queues filter on one
    indexed column without a join.
    """

    subject = models.CharField(max_length=300)
    # Foreign keys that lead a composite index below get no index of their own: one
    # fewer B-tree to update per write, one fewer path for the planner to weigh.
    requester = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    client_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    provider_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    status_category = models.CharField(max_length=16, choices=StatusCategory.choices)
    assignee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,
    )
    tags: models.ManyToManyField[Tag, TicketTag] = models.ManyToManyField(
        Tag, through="TicketTag", related_name="tickets"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    # The ticket at the head of a service chain (the customer's), kept on every ticket
    # handed off from it at any depth: chain analytics find a chain by one index
    # instead of walking `parent` level by level. Null on a ticket with no parent.
    chain_root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    message_count = models.PositiveIntegerField(default=0)
    reopen_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Kept by the SLA engine: when each running clock runs out, and the soonest of
    # them, so queues sort and filter by urgency on an index (null: nothing running).
    sla_due_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["sla_due_at", "id"], name="ticket_sla_due"),
            models.Index(fields=["updated_at", "id"], name="ticket_updated"),
            models.Index(fields=["created_at", "id"], name="ticket_created"),
            models.Index(
                fields=["provider_party", "status_category", "updated_at"], name="ticket_provider"
            ),
            models.Index(fields=["provider_party", "updated_at"], name="ticket_provider_upd"),
            models.Index(fields=["status_category", "updated_at"], name="ticket_category"),
            models.Index(
                fields=["assignee", "status_category", "updated_at"], name="ticket_assignee"
            ),
            # "Assigned to me" in any status, newest first: one of the ways an agent
            # sees tickets, which a list reads index by index (see paginate's any_of).
            models.Index(fields=["assignee", "updated_at"], name="ticket_assignee_upd"),
            models.Index(fields=["requester", "updated_at"], name="ticket_requester"),
            models.Index(fields=["client_party", "updated_at"], name="ticket_client"),
            # Scorecards count the tickets solved in a period.
            models.Index(fields=["solved_at"], name="ticket_solved"),
            # Every hand-off of a chain, with its provider (chain analytics); only
            # handed-off tickets are in it.
            models.Index(
                fields=["chain_root", "provider_party"],
                name="ticket_chain",
                condition=models.Q(chain_root__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def number(self) -> int:
        return self.pk

    @property
    def priority_name(self) -> str:
        return str(Priority(self.priority).label)


class TicketTag(models.Model):
    # Both keys lead an index of their own (the unique constraint, tickettag_by_tag).
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "tag"], name="ticket_tag_unique")]
        indexes = [models.Index(fields=["tag", "ticket"], name="tickettag_by_tag")]


class Side(models.TextChoices):
    CLIENT = "client", "Client"
    PROVIDER = "provider", "Provider"
    SYSTEM = "system", "System"


class Message(models.Model):
    """A public reply or an internal note. Internal notes never reach clients or vendors."""

    ticket = models.ForeignKey(  # led by the message_thread index
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_side = models.CharField(max_length=8, choices=Side.choices)
    is_internal = models.BooleanField(default=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    body_html = models.TextField()
    body_text = models.TextField()
    created_at = models.DateTimeField()
    # Polarity of a client's message, -1 (negative) to +1, scored when it arrives
    # (the proactive app); null for staff messages, notes and messages never scored.
    sentiment = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="message_thread")]


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder keeps names from colliding and from being guessable.
    return f"attachments/{instance.token.hex[:2]}/{instance.token.hex}/{filename}"


class Attachment(models.Model):
    """A file uploaded by someone; pending until a message claims it."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class Event(models.Model):
    """One change to a ticket: who, when, what, old → new. Never updated or deleted."""

    # Led by the event_log index. No database-level foreign key: PostgreSQL would
    # check it by locking the ticket row (FOR KEY SHARE) for every event written,
    # which cost more than writing the events themselves in a sweep of ten thousand
    # clocks. Events are appended only by actions, for tickets they hold, and are
    # deleted with their ticket by Django's cascade.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    # Indexed only where set (event_actor): the system's own events (the SLA sweeper
    # writes ten thousand in a pass) have no actor, and only a person's deletion
    # asks for events by actor.
    actor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=32)
    field = models.CharField(max_length=32, blank=True)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="event_log"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Events are append-only.")
        super().save(*args, **kwargs)


class SearchDocument(models.Model):
    """The searchable text of a ticket (subject and public messages).

    Internal notes are left out so a client's search can never hint at them.
    SQLite indexes it with FTS5 and PostgreSQL with a GIN index over
    to_tsvector; both are created by this app's migrations.
    """

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    body = models.TextField()


class ReactionCursor(models.Model):
    """How far one subscriber (a reaction handler) has read the event log.

    `position` is the id of the last event it has handled or passed by. `gap_since`
    is when it first waited on a hole in the ids (PostgreSQL only: an id taken by a
    transaction that has not committed yet, or rolled back; see the reactor).
    """

    subscriber = models.CharField(max_length=200, unique=True)
    position = models.BigIntegerField(default=0)
    gap_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subscriber} @ {self.position}"


class ReactionState(models.TextChoices):
    RETRYING = "retrying", "Retrying"
    PARKED = "parked", "Parked"
    HELD = "held", "Held"  # waits behind an earlier event of the same ticket


class PendingReaction(models.Model):
    """An event a subscriber has not handled yet although its cursor passed it: its
    handler failed (retrying with backoff, then parked for an admin), or it waits
    behind such an event of the same ticket (held), so each ticket's events reach a
    subscriber in order while other tickets and subscribers go on."""

    subscriber = models.CharField(max_length=200)
    # No database-level key, as for Event.ticket: the event and its ticket may be
    # deleted together (a person's erasure) and this row with them by the reactor.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    ticket_id = models.BigIntegerField()
    state = models.CharField(max_length=8, choices=ReactionState.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["event_id"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event"], name="pending_reaction_once")
        ]
        indexes = [
            models.Index(
                fields=["subscriber", "ticket_id", "event"], name="pending_reaction_ticket"
            ),
            models.Index(fields=["state", "next_attempt_at"], name="pending_reaction_due"),
        ]
