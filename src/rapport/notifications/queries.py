"""Reading notifications: only ever your own."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.directory.models import Person
from rapport.notifications.models import Notification


def inbox(person: Person, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's own notifications, newest first (nobody reads another's)."""
    qs = Notification.objects.filter(recipient=person).order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs
