"""Quote stripping changes only what the thread shows: the stored raw message and
the full text of a reply keep the quoted history and signature, byte for byte."""

from __future__ import annotations

from rapport.mail import outbound
from rapport.mail.models import Mailbox, Outcome
from rapport.mail.store import read_raw
from rapport.mail.testing import build, deliver
from rapport.testing import World
from rapport.tickets import actions as ticket_actions

REPLY = (
    "Danke, der Drucker läuft wieder.\n\n"
    "Von meinem iPhone gesendet\n\n"
    "-----Ursprüngliche Nachricht-----\n"
    "Von: Rapport Support <support@example.com>\n"
    "Gesendet: Montag, 7. Dezember 2026 10:15\n"
    "An: Anna Berg\n"
    "Betreff: AW: Drucker\n\n"
    "Bitte schalten Sie ihn aus und wieder ein.\n"
)


def test_a_reply_shows_its_new_text_and_keeps_the_original(world: World, mailbox: Mailbox) -> None:
    first = deliver(build(message_id="<first@client.example>"), mailbox)
    ticket = first.ticket
    assert ticket is not None
    answer = ticket_actions.reply(world.agent, ticket, body="Bitte aus- und einschalten.")
    (notification,) = outbound.notify_message(answer.pk, new_ticket=False)
    raw = build(
        subject=f"AW: [#{ticket.pk}] Drucker",
        text=REPLY,
        in_reply_to=notification.rfc_id,
        references=f"<first@client.example> {notification.rfc_id}",
    )

    inbound = deliver(raw, mailbox)

    assert inbound.outcome == Outcome.REPLY, inbound.reason
    assert inbound.message is not None
    assert inbound.message.body_text == "Danke, der Drucker läuft wieder."
    assert read_raw(inbound.raw.path) == raw
    assert "Bitte schalten Sie ihn aus" in inbound.full_text
    assert "Von meinem iPhone gesendet" in inbound.full_text
