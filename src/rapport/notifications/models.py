"""In-app notifications: something a person should know about."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something a person should know about, shown in their in-app list.

    Written only by `rapport.notifications.actions.notify`, the one seam every
    channel (in-app, and e-mail through `rapport.notifications.delivery`) hangs off.
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
        # The table was created by the core app; the model moved here without moving data.
        db_table = "core_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
