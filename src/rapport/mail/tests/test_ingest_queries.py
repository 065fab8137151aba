"""Taking in a mail is a hot path too: its SQL stays few and fixed, receipt first."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.fast import enabled as fast_paths
from rapport.mail import pipeline
from rapport.mail.models import InboundMessage, InboundState, Outcome
from rapport.mail.testing import SUPPORT, build, support_mailbox
from rapport.testing import World
from rapport.tickets.models import Message

# Before the reference data was cached: 30 for a new ticket, 26 for a reply. With fast
# paths off (rapport.core.fast), the reference data is read once per message.
# The thread's root row (locked so one thread is placed serially, see
# mail/models.ThreadRoot) adds one upsert, and one update when it opens the ticket.
MOST_NEW = 26 if fast_paths() else 29
# A client's follow-up before the first response reads no clocks.
MOST_REPLY = 25 if fast_paths() else 26


def _ingest(raw: bytes) -> tuple[InboundMessage, int, int]:
    """(the message, statements of the receipt, statements of processing)."""
    with CaptureQueriesContext(connection) as receipt:
        inbound = pipeline.receive(raw, transport="smtp", recipients=[SUPPORT], enqueue=False)
    # The receipt stands on its own before any processing.
    assert InboundMessage.objects.get(pk=inbound.pk).state == InboundState.RECEIVED
    with CaptureQueriesContext(connection) as processing:
        inbound = pipeline.process(inbound.pk)
    return inbound, len(receipt), len(processing)


def test_a_new_ticket_and_a_reply_by_mail_take_a_fixed_small_number_of_queries(
    world: World,
) -> None:
    support_mailbox(world)
    _ingest(build(subject="Warm-up", message_id="<warm@client.example>"))
    new_counts, reply_counts = [], []
    for i in range(3):
        first_id = f"<first{i}@client.example>"
        opened, receipt, processing = _ingest(build(subject=f"Toner {i}", message_id=first_id))
        assert opened.outcome == Outcome.TICKET
        new_counts.append(receipt + processing)
        answer = build(
            subject=f"Re: Toner {i}", in_reply_to=first_id,
            text="Thanks!\n\nOn Monday, Support wrote:\n> We are on it.",
        )  # fmt: skip
        replied, receipt, processing = _ingest(answer)
        assert replied.outcome == Outcome.REPLY and replied.ticket_id == opened.ticket_id
        assert Message.objects.get(pk=replied.message_id).body_text == "Thanks!"
        reply_counts.append(receipt + processing)
    assert len(set(new_counts)) == 1, new_counts
    assert len(set(reply_counts)) == 1, reply_counts
    assert new_counts[0] <= MOST_NEW, new_counts
    assert reply_counts[0] <= MOST_REPLY, reply_counts
