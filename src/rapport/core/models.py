"""What every app shares: API tokens, the worker's heartbeat, in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 of the secret is kept."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'token'})"


class Heartbeat(models.Model):
    """Last sign of life of a background process, so /healthz can tell it is running."""

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()


class Notification(models.Model):
    """Something a person should know about, shown in their in-app list.

    Written only by `rapport.core.notifications.notify`, the one seam every
    channel (in-app now, e-mail later) hangs off.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        db_index=False,
    )  # fmt: skip
    kind = models.CharField(max_length=32)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class ReferenceStamp(models.Model):
    """One row whose `stamp` changes (to a random value) whenever reference data
    changes: statuses, agreements, their targets and calendars, mailboxes.

    Database triggers write it (migration core 0004), so every writer counts — the
    actions, the admin, a shell, another process. Processes keep copies of reference
    data tagged with the stamp they were read under (`rapport.core.fast.reference`). A random
    value rather than a counter: a rolled-back change must not leave a number that a
    later, different change reaches again.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)
