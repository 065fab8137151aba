"""What the mail app does when a ticket gets a public message: it mails the other
side (the requester hears of the provider's replies; the assignee, else the
provider's people, hear of the client's). Internal notes are never mailed.

Idempotent: `notify_message` never mails a message to the same address twice.
Events written under `outbound.muted()` (demo data, imports) mail nobody.
"""

from __future__ import annotations

from django.conf import settings

from rapport.mail import outbound
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to


@reacts_to("created", "reply")
def notify_other_side(event: Event, ticket: Ticket) -> None:
    message_id = event.data.get("message")
    if not message_id or event.data.get("muted") or not settings.RAPPORT_MAIL_NOTIFY:
        return
    outbound.notify_message(message_id, new_ticket=event.kind == "created")
