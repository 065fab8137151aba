"""Reading notifications: only ever your own."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.directory.models import Person
from rapport.notifications.kinds import KINDS
from rapport.notifications.models import Notification, NotificationPreference


def inbox(person: Person, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's own notifications, newest first (nobody reads another's)."""
    qs = Notification.objects.filter(recipient=person).order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(person: Person) -> int:
    """The number on the bell: one COUNT over the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def preferences(person: Person) -> dict[str, tuple[bool, bool]]:
    """`{kind: (in_app, email)}` for every known kind, defaults filled in."""
    stored = {
        p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(person=person)
    }
    return {kind: stored.get(kind, (True, True)) for kind in KINDS}
