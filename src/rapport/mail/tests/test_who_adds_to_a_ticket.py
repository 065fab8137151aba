"""Who may add to a ticket by mail (the rule in the README): whoever can see it, a
colleague of the requester in the client organisation, and an address copied on
the ticket's mail. When the first reference names a ticket the writer may not add
to, the other references and the subject tag are tried before a new ticket."""

from __future__ import annotations

from rapport.mail.models import Mailbox, Outcome
from rapport.mail.testing import build, deliver
from rapport.testing import World
from rapport.tickets.models import Message, Side, Ticket


def test_a_colleague_of_the_requester_replies_to_the_ticket(world: World, mailbox: Mailbox) -> None:
    first = deliver(build(sender="contact@example.com", message_id="<c1@client.example>"),
                    mailbox)  # fmt: skip
    reply = deliver(build(sender="colleague@example.com", subject="Re: Printer on fire",
                          in_reply_to="<c1@client.example>", text="Same on floor 3."),
                    mailbox)  # fmt: skip
    assert (reply.outcome, reply.ticket_id) == (Outcome.REPLY, first.ticket_id)
    message = Message.objects.get(pk=reply.message_id)
    assert (message.author_id, message.author_side) == (world.colleague.pk, Side.CLIENT)


def test_an_address_copied_on_the_thread_replies_to_the_ticket(
    world: World, mailbox: Mailbox
) -> None:
    first = deliver(build(sender="contact@example.com", message_id="<c2@client.example>",
                          headers={"Cc": "Other <other_contact@example.com>"}),
                    mailbox)  # fmt: skip
    assert first.cc == "other_contact@example.com"
    reply = deliver(build(sender="other_contact@example.com", subject="Re: Printer on fire",
                          references="<c2@client.example>", text="I see it too."),
                    mailbox)  # fmt: skip
    assert (reply.outcome, reply.ticket_id) == (Outcome.REPLY, first.ticket_id)


def test_a_stranger_to_the_thread_opens_a_new_ticket(world: World, mailbox: Mailbox) -> None:
    first = deliver(build(sender="contact@example.com", message_id="<c3@client.example>"),
                    mailbox)  # fmt: skip
    other = deliver(build(sender="other_contact@example.com", subject="Re: Printer on fire",
                          in_reply_to="<c3@client.example>"),
                    mailbox)  # fmt: skip
    assert other.outcome == Outcome.TICKET and other.ticket_id != first.ticket_id


def test_a_hidden_first_reference_falls_through_to_the_subject_tag(
    world: World, mailbox: Mailbox
) -> None:
    hidden = deliver(build(sender="other_contact@example.com",
                           message_id="<theirs@other.example>"), mailbox)  # fmt: skip
    own = world.ticket("contact", subject="Scanner")
    # The contact's mail names the other customer's message first (a forwarded
    # thread), then carries the tag of the contact's own ticket.
    mail = deliver(build(sender="contact@example.com", subject=f"Re: [#{own.pk}] Scanner",
                         in_reply_to="<theirs@other.example>", text="Any news?"),
                   mailbox)  # fmt: skip
    assert (mail.outcome, mail.ticket_id) == (Outcome.REPLY, own.pk)
    assert Message.objects.filter(ticket_id=hidden.ticket_id).count() == 1


def test_a_hidden_first_reference_falls_through_to_a_later_one(
    world: World, mailbox: Mailbox
) -> None:
    deliver(build(sender="other_contact@example.com", message_id="<x1@other.example>"), mailbox)
    mine = deliver(build(sender="contact@example.com", message_id="<m1@client.example>"), mailbox)
    mail = deliver(build(sender="contact@example.com", subject="Re: both",
                         in_reply_to="<x1@other.example>", references="<m1@client.example>"),
                   mailbox)  # fmt: skip
    assert (mail.outcome, mail.ticket_id) == (Outcome.REPLY, mine.ticket_id)
    assert Ticket.objects.count() == 2
