"""Mail goes through the same ticket actions: a client's e-mail carries its score on the
row the `created`/`reply` event points at, new ticket or reply alike."""

from __future__ import annotations

from rapport.mail.testing import build, deliver, support_mailbox
from rapport.testing import World
from rapport.tickets.models import Event, Message


def test_inbound_mail_is_scored_when_written(world: World) -> None:
    mailbox = support_mailbox(world)
    first = build(subject="Checkout down", text="Thank you, your team is always great to us!")
    opened = deliver(first, mailbox)
    assert opened.ticket_id is not None
    created = Event.objects.get(ticket_id=opened.ticket_id, kind="created")
    assert Message.objects.get(pk=created.data["message"]).sentiment > 0.3  # type: ignore[operator]
    answer = build(
        subject=f"Re: Checkout down [#{opened.ticket_id}]",
        text="Still broken. This is unacceptable and I am furious.",
    )
    replied = deliver(answer, mailbox)
    assert replied.ticket_id == opened.ticket_id and replied.message is not None
    assert replied.message.sentiment is not None and replied.message.sentiment < -0.3
