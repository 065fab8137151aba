"""Step (d): replies find their ticket, as the mail clients people use shape them.

In-Reply-To/References against the Message-IDs we sent and received come first,
then the `[#1234]` tag in the subject; otherwise a new ticket.
"""

from __future__ import annotations

from rapport.core.choices import StatusCategory
from rapport.directory.models import Person
from rapport.mail import outbound
from rapport.mail.models import InboundState, Mailbox, Outcome
from rapport.mail.testing import SUPPORT, build, deliver
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Side, Ticket


def _ticket_with_our_reply(world: World, mailbox: Mailbox) -> tuple[Ticket, str]:
    """A ticket the contact opened by mail, and the Message-ID of our mailed answer."""
    first = deliver(build(message_id="<first@client.example>"), mailbox)
    ticket = first.ticket
    assert ticket is not None
    answer = ticket_actions.reply(world.agent, ticket, body="Please switch it off and on.")
    (notification,) = outbound.notify_message(answer.pk, new_ticket=False)
    assert notification.to_address == "contact@example.com"
    return ticket, notification.rfc_id


GMAIL = """\
From: Contact <contact@example.com>
To: Rapport Support <{support}>
Subject: Re: [#{n}] Printer on fire
Message-ID: <CAGmail123@mail.gmail.com>
In-Reply-To: <{ours}>
References: <first@client.example> <{ours}>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000abc"

--000000000000abc
Content-Type: text/plain; charset="UTF-8"

It works again, thank you!

On Mon, 30 Nov 2026 at 10:00, Rapport Support <{support}> wrote:
> Please switch it off and on.
>

--000000000000abc
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">It works again, thank you!</div><br><div class="gmail_quote"><div \
dir="ltr" class="gmail_attr">On Mon, 30 Nov 2026 at 10:00, Rapport Support &lt;{support}&gt; \
wrote:<br></div><blockquote class="gmail_quote">Please switch it off and on.</blockquote></div>

--000000000000abc--
"""

OUTLOOK = """\
From: Contact <contact@example.com>
To: Rapport Support <{support}>
Subject: RE: [#{n}] Printer on fire
Message-ID: <AM0PR01MB1234@AM0PR01MB1234.eurprd01.prod.outlook.com>
In-Reply-To: <{ours}>
References: <{ours}>
Thread-Topic: [#{n}] Printer on fire
Thread-Index: AQHZ1234567890abcdef
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_AM0PR01_"

--_000_AM0PR01_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

It works again, thank you!

________________________________
From: Rapport Support <{support}>
Sent: Monday, 30 November 2026 10:00
To: Contact <contact@example.com>
Subject: [#{n}] Printer on fire

Please switch it off and on.

--_000_AM0PR01_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><body><div>It works again, thank you!</div><hr style=3D"display:inline-block;width:98%" \
tabindex=3D"-1"><div id=3D"divRplyFwdMsg" dir=3D"ltr"><b>From:</b> Rapport Support<br>\
<b>Sent:</b> Monday</div><div>Please switch it off and on.</div></body></html>

--_000_AM0PR01_--
"""

APPLE = """\
From: Contact <contact@example.com>
To: Rapport Support <{support}>
Subject: Re: [#{n}] Printer on fire
Message-Id: <5F1D2C3B-1111-2222-3333-444455556666@example.com>
In-Reply-To: <{ours}>
References: <first@client.example> <{ours}>
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.600.7\\))
Content-Type: multipart/alternative; boundary="Apple-Mail=_ABC"

--Apple-Mail=_ABC
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

It works again, thank you!

> On 30 Nov 2026, at 10:00, Rapport Support <{support}> wrote:
>
> Please switch it off and on.

--Apple-Mail=_ABC
Content-Transfer-Encoding: 7bit
Content-Type: text/html; charset=us-ascii

<html><body style="word-wrap: break-word;">It works again, thank you!<br><div><br>\
<blockquote type="cite"><div>On 30 Nov 2026, at 10:00, Rapport Support wrote:</div>\
<div>Please switch it off and on.</div></blockquote></div></body></html>
--Apple-Mail=_ABC--
"""


def _shaped(template: str, ticket: Ticket, ours: str) -> bytes:
    text = template.format(support=SUPPORT, n=ticket.pk, ours=ours)
    return text.replace("\n", "\r\n").encode()


def _assert_reply(world: World, ticket: Ticket, raw: bytes, mailbox: Mailbox) -> None:
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.REPLY, inbound.reason
    assert inbound.ticket_id == ticket.pk
    message = inbound.message
    assert message is not None
    assert message.author == world.contact
    assert message.author_side == Side.CLIENT
    assert not message.is_internal
    assert message.channel == "email"
    # The thread shows what is new; the quoted answer stays in the full original.
    assert message.body_text.strip() == "It works again, thank you!", message.body_html
    assert "switch it off and on" in inbound.full_text
    assert Ticket.objects.count() == 1


def test_gmail_reply(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    _assert_reply(world, ticket, _shaped(GMAIL, ticket, ours), mailbox)


def test_outlook_reply(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    _assert_reply(world, ticket, _shaped(OUTLOOK, ticket, ours), mailbox)


def test_apple_mail_reply(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    _assert_reply(world, ticket, _shaped(APPLE, ticket, ours), mailbox)


def test_reply_with_no_headers_but_the_subject_tag(world: World, mailbox: Mailbox) -> None:
    ticket, _ = _ticket_with_our_reply(world, mailbox)
    raw = build(subject=f"Re: [#{ticket.pk}] Printer on fire", text="Still burning.")
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.REPLY
    assert inbound.ticket_id == ticket.pk


def test_references_alone_thread_to_a_message_we_received(world: World, mailbox: Mailbox) -> None:
    ticket, _ = _ticket_with_our_reply(world, mailbox)
    # A colleague's client that keeps References but writes a new subject.
    raw = build(subject="one more thing", references="<first@client.example>", text="Also: smoke")
    inbound = deliver(raw, mailbox)
    assert inbound.ticket_id == ticket.pk


def test_headers_win_over_a_wrong_subject_tag(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    other = deliver(build(subject="Another problem"), mailbox).ticket
    assert other is not None
    raw = build(subject=f"Re: [#{other.pk}] Another problem", in_reply_to=f"<{ours}>")
    assert deliver(raw, mailbox).ticket_id == ticket.pk


def test_a_new_subject_without_references_is_a_new_ticket(mailbox: Mailbox) -> None:
    deliver(build(subject="Printer on fire"), mailbox)
    second = deliver(build(subject="Printer on fire"), mailbox)
    assert second.outcome == Outcome.TICKET
    assert Ticket.objects.count() == 2


def test_a_guessed_tag_of_someone_elses_ticket_opens_a_new_one(
    world: World, mailbox: Mailbox
) -> None:
    ticket, _ = _ticket_with_our_reply(world, mailbox)
    raw = build(sender="other_contact@example.com", subject=f"Re: [#{ticket.pk}] hello")
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.TICKET
    assert inbound.ticket_id != ticket.pk
    assert ticket.messages.count() == 2  # nothing added to the contact's ticket


def test_vendor_user_reply_lands_as_provider(world: World, mailbox: Mailbox) -> None:
    handoff = world.handoff()
    raw = build(
        sender="vendor_user@example.com",
        subject=f"Re: [#{handoff.pk}] Printer broken",
        text="Technician comes at 9.",
    )
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.REPLY
    assert inbound.message is not None
    assert inbound.message.author_side == Side.PROVIDER
    assert not inbound.message.is_internal


def test_an_agent_replying_by_mail_writes_a_public_reply_never_a_note(
    world: World, mailbox: Mailbox
) -> None:
    ticket, _ = _ticket_with_our_reply(world, mailbox)
    raw = build(
        sender="agent@example.com",
        subject=f"Re: [#{ticket.pk}] Printer on fire",
        text="#internal please escalate",
        headers={"X-Rapport-Internal": "yes"},
    )
    inbound = deliver(raw, mailbox)
    assert inbound.message is not None
    assert inbound.message.author_side == Side.PROVIDER
    assert inbound.message.is_internal is False


def test_a_merged_ticket_continues_where_it_was_merged(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    target = world.ticket("contact", subject="Printers")
    ticket_actions.merge(world.agent, ticket, target)
    inbound = deliver(build(subject="Re: Printer", in_reply_to=f"<{ours}>"), mailbox)
    assert inbound.ticket_id == target.pk


def test_a_reply_to_a_closed_ticket_opens_a_new_one(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    closed = ticket_actions.default_status(StatusCategory.CLOSED)
    ticket_actions.set_status(world.agent, ticket, closed)
    inbound = deliver(build(subject="Re: Printer", in_reply_to=f"<{ours}>"), mailbox)
    assert inbound.outcome == Outcome.TICKET
    assert inbound.ticket_id != ticket.pk


def test_a_client_reply_reopens_a_solved_ticket(world: World, mailbox: Mailbox) -> None:
    ticket, ours = _ticket_with_our_reply(world, mailbox)
    solved = ticket_actions.default_status(StatusCategory.SOLVED)
    ticket_actions.set_status(world.agent, ticket, solved)
    deliver(build(subject="Re: Printer", in_reply_to=f"<{ours}>", text="Not fixed"), mailbox)
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN


def test_unknown_sender_of_a_customer_domain_becomes_its_contact(
    world: World, mailbox: Mailbox
) -> None:
    raw = build(sender="Nina Novak <nina@globex.example>", subject="VPN down")
    inbound = deliver(raw, mailbox)
    assert inbound.outcome == Outcome.TICKET, inbound.reason
    nina = Person.objects.get(email="nina@globex.example")
    assert nina.full_name == "Nina Novak"
    assert not nina.has_usable_password()
    assert world.customer.memberships.filter(person=nina).exists()
    ticket = inbound.ticket
    assert ticket is not None
    assert ticket.requester == nina
    assert ticket.client_party == world.customer.party
    assert ticket.provider_party == world.support.party
    assert ticket.agreement == world.sla


def test_unknown_sender_of_no_known_domain_waits_in_quarantine(
    world: World, mailbox: Mailbox
) -> None:
    raw = build(sender="stranger@nowhere.example", subject="Hello")
    inbound = deliver(raw, mailbox)
    assert inbound.state == InboundState.QUARANTINED
    assert "nowhere.example" in inbound.reason
    assert not Person.objects.filter(email="stranger@nowhere.example").exists()
    from rapport.mail import actions

    actions.update_mailbox(None, mailbox, unknown_sender_organisation=world.other_customer)
    replayed = actions.replay(None, inbound)
    assert replayed.outcome == Outcome.TICKET
    assert replayed.ticket is not None
    assert replayed.ticket.client_party == world.other_customer.party


def test_mail_to_an_address_we_do_not_serve_is_quarantined(world: World) -> None:
    inbound = deliver(build(to="nobody@rapport.test"))
    assert inbound.state == InboundState.QUARANTINED
    assert "no mailbox" in inbound.reason


def test_an_unknown_sender_never_joins_a_vendor_by_domain(world: World, mailbox: Mailbox) -> None:
    # A vendor's users see every ticket the vendor provides: a forged From must not
    # make anyone one of them.
    from rapport.directory import actions as directory

    directory.update_organisation(None, world.vendor, email_domain="printco.example")
    inbound = deliver(build(sender="mallory@printco.example", subject="Hi"), mailbox)
    assert inbound.state == InboundState.QUARANTINED
    assert not Person.objects.filter(email="mallory@printco.example").exists()
