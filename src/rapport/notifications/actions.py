"""Telling people things: the one function every part of Rapport notifies through.

`notify` writes the in-app notification and hands it to each registered delivery
channel (e-mail, registered by the mail app), so callers never learn how a person is
reached and this app never imports the channels above it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import NotFound
from rapport.directory.models import Person
from rapport.notifications import delivery
from rapport.notifications.models import Notification
from rapport.tickets.models import Ticket

MAX_TEXT = 500


def notify(
    recipients: Iterable[Person | None], kind: str, ticket: Ticket | None, text: str
) -> list[Notification]:
    """Tell each recipient (once, if active) `text` about `ticket`; returns what was written."""
    now = clock.now()
    seen: set[int] = set()
    rows = []
    for person in recipients:
        if person is None or not person.is_active or person.pk in seen:
            continue
        seen.add(person.pk)
        rows.append(
            Notification(
                recipient=person, kind=kind[:32], ticket=ticket, text=text[:MAX_TEXT],
                created_at=now,
            )
        )  # fmt: skip
    written = Notification.objects.bulk_create(rows)
    for deliver in delivery.channels():
        for row in written:
            deliver(row.recipient, kind, ticket, row.text)
    return written


@transaction.atomic
def mark_read(person: Person, notification_id: int) -> Notification:
    row = Notification.objects.filter(pk=notification_id, recipient=person).first()
    if row is None:
        raise NotFound(f"There is no notification {notification_id} of yours.")
    if row.read_at is None:
        row.read_at = clock.now()
        row.save(update_fields=["read_at"])
    return row


@transaction.atomic
def mark_all_read(person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=clock.now()
    )
