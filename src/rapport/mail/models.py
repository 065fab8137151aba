"""The e-mail channel's own records: mailboxes, the raw message store, what became of
each inbound message, which RFC Message-IDs belong to which ticket, and outbound mail.

Tickets know nothing of e-mail beyond their channel; everything mail-specific lives here.
"""

from __future__ import annotations

from django.db import models

from rapport.core.choices import Priority
from rapport.directory.models import Organisation, Party
from rapport.tickets.models import Message, Ticket


class Mailbox(models.Model):
    """An address we receive at (support@, billing@, it@) and who answers it."""

    address = models.CharField(max_length=254, unique=True, help_text="Lower case.")
    name = models.CharField(max_length=200, blank=True, help_text="Sender name of our mail.")
    provider_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    default_priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, null=True, blank=True,
        help_text="Priority of new tickets; empty: the matched agreement's default.",
    )  # fmt: skip
    unknown_sender_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Where senders go whose domain matches no organisation; empty: quarantine.",
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    # IMAP polling (optional): the password is stored encrypted (see rapport.mail.crypto).
    imap_host = models.CharField(max_length=253, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_tls = models.BooleanField(default=True)
    imap_username = models.CharField(max_length=254, blank=True)
    imap_password_encrypted = models.TextField(blank=True)
    imap_folder = models.CharField(max_length=200, default="INBOX")
    imap_processed_folder = models.CharField(
        max_length=200, blank=True, help_text="Move stored mail here; empty: mark it seen."
    )
    # Templates of outbound mail (Django template language); empty: the built-in ones.
    template_subject = models.CharField(max_length=300, blank=True)
    template_text = models.TextField(blank=True)
    template_html = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.address


class RawMessage(models.Model):
    """A message exactly as delivered, stored once per content (sha256) on the storage API."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.sha256


class InboundState(models.TextChoices):
    RECEIVED = "received", "Received, not yet processed"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Classified, no ticket"
    QUARANTINED = "quarantined", "Quarantined"
    SPAM = "spam", "Held as spam, for review"


class Outcome(models.TextChoices):
    NONE = "", "—"
    TICKET = "ticket", "New ticket"
    REPLY = "reply", "Reply"
    DUPLICATE = "duplicate", "Duplicate"
    BOUNCE = "bounce", "Bounce"
    DELAY = "delay", "Delivery delay or report"
    AUTO_REPLY = "auto_reply", "Auto-reply"
    MAILING_LIST = "mailing_list", "Mailing list"
    SPAM = "spam", "Spam"
    LOOP = "loop", "From one of our own addresses"


class InboundMessage(models.Model):
    """One delivery of a raw message and what became of it.

    Created (state `received`) before the delivery is acknowledged; processing
    then moves it to `processed`, `ignored` or `quarantined` in the same
    transaction that writes the ticket, so a crash leaves it `received` and
    nothing half-done.
    """

    raw = models.ForeignKey(RawMessage, on_delete=models.PROTECT, related_name="deliveries")
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, null=True, blank=True, related_name="inbound"
    )
    transport = models.CharField(max_length=8)  # smtp, lmtp, imap, file
    envelope_from = models.CharField(max_length=254, blank=True)
    envelope_to = models.TextField(blank=True)
    # The Cc addresses (lower case, comma-separated): who was copied on the thread may
    # add to its ticket (see routing.may_add_to).
    cc = models.TextField(blank=True)
    rfc_id = models.CharField(max_length=255, blank=True, db_index=True)
    state = models.CharField(
        max_length=12, choices=InboundState.choices, default=InboundState.RECEIVED
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was quarantined or ignored.")
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_mail"
    )
    # The whole message as received (quotes and signature included), sanitised, one
    # click away from the trimmed text shown in the thread.
    full_text = models.TextField(blank=True)
    full_html = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    # The spam filter's verdict (spamd), when one is configured; `released_at`: an
    # agent said "not spam", so the filter is not asked again.
    spam_score = models.FloatField(null=True, blank=True)
    spam_feedback = models.CharField(
        max_length=4, blank=True, help_text="What an agent told the filter: spam or ham."
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_state"),
            models.Index(fields=["sender", "received_at"], name="inbound_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.rfc_id or self.raw_id} ({self.state})"


class Direction(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Sent"


class MessageRef(models.Model):
    """An RFC 5322 Message-ID we received or sent, and the ticket it belongs to: the
    key that threads replies (In-Reply-To, References) back to their ticket."""

    rfc_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at"], name="messageref_ticket")]


class ThreadRoot(models.Model):
    """The first Message-ID of a thread and the ticket it opened.

    Placing a message locks its thread's row first (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's write transactions are serial already), so two messages
    of one thread placed at once, in one batch or by two workers, open one ticket;
    and a reply that arrives before the message it answers still finds the ticket.
    """

    rfc_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()


class OutboundState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Not sent"
    BOUNCED = "bounced", "Bounced"


class OutboundMessage(models.Model):
    """One e-mail we send, rendered when queued and sent by the worker after commit."""

    kind = models.CharField(max_length=24)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_address = models.CharField(max_length=300)
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=400)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    rfc_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    state = models.CharField(
        max_length=12, choices=OutboundState.choices, default=OutboundState.QUEUED
    )
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_address", "created_at"], name="outbound_recipient")]


class PendingNotification(models.Model):
    """A message whose notifications are still to be worked out (an outbox row).

    Written in the transaction that wrote the message, so it commits with it and
    costs one INSERT; the worker claims rows by deleting them in the transaction
    that queues the mail, so each is handled exactly once.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    new_ticket = models.BooleanField(default=False)
    created_at = models.DateTimeField()
