"""Telling people things: the one function every part of Rapport notifies through.

`notify` writes the in-app notification and hands it to each registered delivery
channel (e-mail, registered by the mail app), so callers never learn how a person is
reached and this app never imports the channels above it. Each person's preferences
(`NotificationPreference`) decide, per kind, whether either happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Invalid, NotFound
from rapport.directory.models import Person
from rapport.notifications import delivery
from rapport.notifications.kinds import KINDS
from rapport.notifications.models import Notification, NotificationPreference
from rapport.tickets.models import Ticket

MAX_TEXT = 500


def notify(
    recipients: Iterable[Person | None], kind: str, ticket: Ticket | None, text: str
) -> list[Notification]:
    """Tell each recipient (once, if active) `text` about `ticket`, in the app and through
    each channel as their preferences for `kind` say; returns the in-app rows written."""
    now = clock.now()
    kind, text = kind[:32], text[:MAX_TEXT]
    people: dict[int, Person] = {}
    for person in recipients:
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = person
    if not people:
        return []
    # One query for everyone's choice; no row means "yes, both".
    chosen = {
        p.person_id: p
        for p in NotificationPreference.objects.filter(person_id__in=list(people), kind=kind)
    }
    rows = [
        Notification(recipient=person, kind=kind, ticket=ticket, text=text, created_at=now)
        for pk, person in people.items()
        if pk not in chosen or chosen[pk].in_app
    ]
    written = Notification.objects.bulk_create(rows)
    for deliver in delivery.channels():
        for pk, person in people.items():
            if pk not in chosen or chosen[pk].email:
                deliver(person, kind, ticket, text)
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


@transaction.atomic
def set_preferences(
    actor: Person, person: Person, choices: Mapping[str, tuple[bool, bool]]
) -> None:
    """Set how `person` hears of each kind: `{kind: (in_app, email)}`. Only the person
    themself, or an admin, may; a kind that is not known is refused."""
    if actor.pk != person.pk and not actor.is_admin:
        raise NotFound("There is no such person.")
    for kind in choices:
        if kind not in KINDS:
            raise Invalid(f"There is no notification kind {kind!r}.", field="kind")
    for kind, (in_app, email) in choices.items():
        NotificationPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"in_app": in_app, "email": email}
        )
