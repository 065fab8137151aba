"""Outbound notifications, captured by a real SMTP server on loopback."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from rapport.mail import outbound
from rapport.mail.models import Mailbox, OutboundMessage, OutboundState
from rapport.mail.testing import SUPPORT, SmtpSink, build, deliver
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Ticket
from rapport.tickets.testing import drain_reactions


def send_all() -> list[OutboundMessage]:
    """What the worker does after commit: run the reactions (mail's works out who hears
    of each message), then send each mail."""
    drain_reactions()
    queued = OutboundMessage.objects.filter(state=OutboundState.QUEUED).order_by("id")
    return [outbound.send(o.pk) for o in queued]


def only(sink: SmtpSink, to: str) -> EmailMessage:
    found = [m for m in sink.messages if m["To"] == to]
    assert len(found) == 1, [m["To"] for m in sink.messages]
    return found[0]


def _mailed_ticket(world: World, mailbox: Mailbox) -> Ticket:
    inbound = deliver(build(message_id="<q1@client.example>"), mailbox)
    assert inbound.ticket is not None
    return inbound.ticket


def test_a_public_reply_reaches_the_client_and_threads(
    world: World, mailbox: Mailbox, sink: SmtpSink
) -> None:
    ticket = _mailed_ticket(world, mailbox)
    sink.messages.clear()
    ticket_actions.reply(
        world.agent, ticket, body="Switch it <b>off</b> and on.", body_is_html=True
    )
    send_all()
    mail = only(sink, "contact@example.com")
    assert mail["Subject"] == f"[#{ticket.pk}] Printer on fire"
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == "<q1@client.example>"
    assert "<q1@client.example>" in mail["References"]
    assert SUPPORT in mail["From"] and SUPPORT in mail["Reply-To"]
    ours = mail["Message-ID"]
    assert ours.endswith("@rapport.localhost>")
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    assert "Switch it off and on." in text.get_content()
    assert "<b>off</b>" in html.get_content()
    # The client answers that mail: it lands on the same ticket.
    answer = deliver(build(subject="Re: whatever", in_reply_to=ours, text="Done, thanks"), mailbox)
    assert answer.ticket_id == ticket.pk


def test_an_internal_note_is_never_mailed(world: World, mailbox: Mailbox, sink: SmtpSink) -> None:
    ticket = _mailed_ticket(world, mailbox)
    send_all()
    sink.messages.clear()
    ticket_actions.add_note(world.agent, ticket, body="Customer is difficult (zanzibar).")
    send_all()
    assert sink.messages == []
    assert not OutboundMessage.objects.filter(body_text__contains="zanzibar").exists()


def test_new_tickets_and_client_replies_reach_the_team_then_the_assignee(
    world: World, mailbox: Mailbox, sink: SmtpSink
) -> None:
    ticket = _mailed_ticket(world, mailbox)
    send_all()
    assert sorted(m["To"] for m in sink.messages) == ["agent@example.com", "lead@example.com"]
    new = only(sink, "agent@example.com")
    assert f"New request #{ticket.pk}" in new.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    sink.messages.clear()
    ticket_actions.assign(world.lead, ticket, world.agent)
    deliver(build(subject=f"Re: [#{ticket.pk}] x", text="Any news?"), mailbox)
    send_all()
    assert [m["To"] for m in sink.messages] == ["agent@example.com"]
    assert "replied on" in sink.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_auto_replies_trigger_nothing(world: World, mailbox: Mailbox, sink: SmtpSink) -> None:
    deliver(build(headers={"Auto-Submitted": "auto-replied"}), mailbox)
    send_all()
    assert sink.messages == []


def test_per_recipient_hourly_limit_stops_loops(
    world: World, mailbox: Mailbox, sink: SmtpSink, settings: pytest.FixtureRequest
) -> None:
    settings.RAPPORT_MAIL_RATE_PER_HOUR = 3  # type: ignore[attr-defined]
    ticket = _mailed_ticket(world, mailbox)
    for i in range(5):
        ticket_actions.reply(world.agent, ticket, body=f"Update {i}")
    send_all()
    to_client = OutboundMessage.objects.filter(to_address="contact@example.com")
    assert to_client.filter(state=OutboundState.SENT).count() == 3
    suppressed = to_client.filter(state=OutboundState.SUPPRESSED)
    assert suppressed.count() == 2
    assert "hourly limit" in suppressed.first().reason  # type: ignore[union-attr]
    assert len([m for m in sink.messages if m["To"] == "contact@example.com"]) == 3


def test_digests_are_not_held_back_by_the_loop_limit(
    world: World, mailbox: Mailbox, settings: pytest.FixtureRequest
) -> None:
    """A manager of many providers gets each provider's digest at once; that must not
    cost them the digests beyond the limit, nor the notifications of the hour."""
    settings.RAPPORT_MAIL_RATE_PER_HOUR = 3  # type: ignore[attr-defined]
    to = "manager@example.com"
    digests = [
        outbound.queue_mail(to=to, subject=f"Provider {i}", text="figures", kind="digest")
        for i in range(8)
    ]
    assert {d.state for d in digests} == {OutboundState.QUEUED}
    notes = [outbound.queue_mail(to=to, subject=f"Ticket {i}", text="x") for i in range(4)]
    assert [n.state for n in notes] == [OutboundState.QUEUED] * 3 + [OutboundState.SUPPRESSED]


def test_mail_to_our_own_mailbox_is_never_sent(world: World, mailbox: Mailbox) -> None:
    sent = outbound.queue_mail(to=SUPPORT.upper(), subject="x", text="y")
    assert sent.state == OutboundState.SUPPRESSED


def test_templates_per_mailbox(world: World, sink: SmtpSink) -> None:
    from rapport.mail.testing import support_mailbox

    mailbox = support_mailbox(
        world,
        template_subject="Globex help — {{ ticket.subject }}",
        template_text="Hello {{ recipient.display_name }},\n{{ body_text }}\nYours, Globex help",
        template_html="<p>Hello {{ recipient.display_name }}</p>{{ body_html }}",
    )
    ticket = _mailed_ticket(world, mailbox)
    ticket_actions.reply(world.agent, ticket, body="<script>x</script>Fixed", body_is_html=True)
    send_all()
    mail = only(sink, "contact@example.com")
    assert mail["Subject"] == f"[#{ticket.pk}] Globex help — Printer on fire"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert text.startswith("Hello Contact,\nFixed\nYours, Globex help")
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<p>Hello Contact</p>" in html and "<script" not in html


def test_a_failed_send_stays_queued_for_the_retry(
    world: World, mailbox: Mailbox, settings: pytest.FixtureRequest
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port  # type: ignore[attr-defined]
    ticket = _mailed_ticket(world, mailbox)
    ticket_actions.reply(world.agent, ticket, body="Fixed")
    drain_reactions()
    mail = OutboundMessage.objects.get(to_address="contact@example.com")
    for attempt in range(1, outbound.MAX_ATTEMPTS + 1):
        with pytest.raises(ConnectionRefusedError):
            outbound.send(mail.pk)
        mail.refresh_from_db()
        assert mail.attempts == attempt
        assert "ConnectionRefusedError" in mail.reason
    assert mail.state == OutboundState.FAILED
    from rapport.mail.tasks import send_outbound

    assert send_outbound.retries == outbound.MAX_ATTEMPTS - 1  # Huey retries the task
