"""Outbound mail: notifications of ticket activity, sent by the worker after commit.

`after_message` is the one hook the ticket actions call. `queue_mail` is the
general sender any feature (e.g. in-app notifications) can use: it records an
`OutboundMessage` and sends it after the transaction commits, with retries.

Every mail carries our own Message-ID (recorded so replies thread back),
In-Reply-To and References, the `[#1234]` tag in the subject and
`Auto-Submitted: auto-replied`. A per-recipient hourly limit stops loops with
auto-responders we failed to recognise. Internal notes are never mailed.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from rapport.core import clock
from rapport.core.fast import rows
from rapport.directory.models import OrgMembership, Person, TeamMembership
from rapport.mail import bounces
from rapport.mail.models import (
    Direction,
    InboundMessage,
    Mailbox,
    MessageRef,
    OutboundMessage,
    OutboundState,
    PendingNotification,
)
from rapport.tickets import events
from rapport.tickets.models import Message, Side, Ticket

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6  # the first try and Huey's five retries


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("mail_muted", default=False)
_kick = {"last": -1e9, "delayed_for": -1e9}
KICK_INTERVAL = 1.0  # seconds: at most two queue writes a second per process


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No notifications for messages written in this block (demo data, imports)."""
    token = _muted.set(True)
    try:
        # Ticket mail is a reaction to the events written here: they carry the mute.
        with events.muted():
            yield
    finally:
        _muted.reset(token)


def after_message(message: Message, *, new_ticket: bool = False) -> None:
    """Called by the ticket actions for each new message: notify after commit."""
    if message.is_internal or not settings.RAPPORT_MAIL_NOTIFY or _muted.get():
        return
    # Written with every message: one statement built once (see rapport.core.fast.rows).
    rows.insert(
        [PendingNotification(message=message, new_ticket=new_ticket, created_at=clock.now())]
    )
    transaction.on_commit(_wake_worker)


def mail_notification(person: Person, kind: str, ticket: Ticket | None, text: str) -> None:
    """E-mail one in-app notification (an SLA warning, an escalation) to a person.

    Registered with `rapport.notifications.delivery`: `notify`, the one seam every
    notice goes through, hands each notice here; muted blocks (demo data) and
    RAPPORT_MAIL_NOTIFY=off send nothing.
    """
    if not person.email or not settings.RAPPORT_MAIL_NOTIFY or _muted.get():
        return
    if events.is_muted():  # a reaction to events written under a mute
        return
    tag = f"[#{ticket.pk}] " if ticket is not None else ""
    headline = text.split(". ")[0][:120]
    url = settings.RAPPORT_BASE_URL.rstrip("/") + (f"/desk/t/{ticket.pk}/" if ticket else "/")
    queue_mail(
        to=person.email, subject=f"{tag}{headline}", text=f"{text}\n\n{url}\n",
        kind=kind[:24], ticket=ticket, mailbox=_mailbox_of(ticket) if ticket else None,
    )  # fmt: skip


def _wake_worker() -> None:
    """Queue a drain of the outbox; debounced, since one drain serves many rows and a
    queue write costs more than writing the ticket. A row committed while a drain was
    just queued is covered by one queued a second later."""
    from rapport.mail.tasks import deliver_notifications

    now = time.monotonic()
    if now - _kick["last"] >= KICK_INTERVAL:
        _kick["last"] = now
        deliver_notifications()
    elif _kick["delayed_for"] != _kick["last"]:
        _kick["delayed_for"] = _kick["last"]
        deliver_notifications.schedule(delay=KICK_INTERVAL)


def deliver_pending(batch: int = 100) -> int:
    """Work out the notifications of every pending message; how many were handled."""
    handled = 0
    while True:
        rows = list(PendingNotification.objects.order_by("id")[:batch])
        if not rows:
            return handled
        for row in rows:
            with transaction.atomic():
                if not PendingNotification.objects.filter(pk=row.pk).delete()[0]:
                    continue  # another worker claimed it
                notify_message(row.message_id, new_ticket=row.new_ticket)
                handled += 1


def _staff_of(ticket: Ticket) -> list[Person]:
    """Who hears of a client's message: the assignee, else the providing team or vendor."""
    if ticket.assignee_id is not None and ticket.assignee is not None:
        return [ticket.assignee]
    party = ticket.provider_party_id
    team = TeamMembership.objects.filter(team__party_id=party).select_related("person")
    people = [m.person for m in team]
    if not people:
        members = OrgMembership.objects.filter(organisation__party_id=party)
        people = [m.person for m in members.select_related("person")]
    return people


def notify_message(message_id: int, *, new_ticket: bool) -> list[OutboundMessage]:
    message = (
        Message.objects.select_related(
            "author", "ticket__requester", "ticket__assignee", "ticket__provider_party"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.is_internal:
        return []
    ticket = message.ticket
    if message.author_side == Side.PROVIDER:
        recipients = [ticket.requester]
        kind = "reply"
    elif message.author_side == Side.CLIENT:
        recipients = _staff_of(ticket)
        kind = "new_ticket" if new_ticket else "client_reply"
    else:
        return []
    queued = []
    with transaction.atomic():
        for person in recipients:
            if not person.email or not person.is_active or person.pk == message.author_id:
                continue
            if OutboundMessage.objects.filter(
                message=message, to_address=person.email.lower()
            ).exists():
                continue  # this task ran before (a retry): never mail twice
            queued.append(_notification(kind, message, person))
    return queued


def _mailbox_of(ticket: Ticket) -> Mailbox | None:
    first = (
        InboundMessage.objects.filter(ticket=ticket, mailbox__isnull=False)
        .select_related("mailbox")
        .order_by("id")
        .first()
    )
    if first is not None and first.mailbox is not None:
        return first.mailbox
    return (
        Mailbox.objects.filter(provider_party_id=ticket.provider_party_id, is_active=True)
        .order_by("id")
        .first()
    )


def _render(template: str, default: str, context: dict[str, object], *, html: bool) -> str:
    if template:
        return Template(template).render(Context(context, autoescape=html))
    return render_to_string(default, context)


def _notification(kind: str, message: Message, person: Person) -> OutboundMessage:
    ticket = message.ticket
    mailbox = _mailbox_of(ticket)
    context: dict[str, object] = {
        "kind": kind,
        "ticket": ticket,
        "message": message,
        "recipient": person,
        "author": message.author.display_name if message.author else "Rapport",
        "body_html": mark_safe(message.body_html),  # noqa: S308 - sanitised when stored
        "body_text": message.body_text,
        "url": f"{settings.RAPPORT_BASE_URL.rstrip('/')}/tickets/{ticket.pk}",
    }
    subject_template = mailbox.template_subject if mailbox else ""
    subject = _render(subject_template, "mail/subject.txt", context, html=False)
    subject = " ".join(subject.split())
    if f"[#{ticket.pk}]" not in subject:
        subject = f"[#{ticket.pk}] {subject}"
    text = _render(mailbox.template_text if mailbox else "", "mail/notification.txt", context,
                   html=False)  # fmt: skip
    html = _render(mailbox.template_html if mailbox else "", "mail/notification.html", context,
                   html=True)  # fmt: skip
    last_in = (
        MessageRef.objects.filter(ticket=ticket, direction=Direction.IN)
        .order_by("-created_at", "-id")
        .values_list("rfc_id", flat=True)
        .first()
    )
    from rapport.mail.queries import ticket_message_ids

    return queue_mail(
        to=person.email, subject=subject, text=text, html=html, kind=kind, ticket=ticket,
        message=message, mailbox=mailbox, in_reply_to=last_in or "",
        references=ticket_message_ids(ticket),
    )  # fmt: skip


# Mail sent on a schedule, at most once per period (digests: one per provider, kept
# once by `DigestSent`), answers no mail and so cannot loop: the hourly limit is not
# for it, and it does not use up the limit of the mail that reacts to mail.
SCHEDULED_KINDS = frozenset({"digest"})


def queue_mail(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str = "notification",
    ticket: Ticket | None = None,
    message: Message | None = None,
    mailbox: Mailbox | None = None,
    in_reply_to: str = "",
    references: Sequence[str] = (),
) -> OutboundMessage:
    """Record one e-mail and send it from the worker once the transaction commits.

    Mail to our own mailboxes, or beyond the hourly limit per recipient (scheduled
    kinds aside), is recorded as not sent (`suppressed`) with the reason.
    """
    to = to.strip().lower()
    now = clock.now()
    domain = settings.RAPPORT_MAIL_HOSTNAME
    rfc_id = make_msgid(f"rapport.{ticket.pk if ticket else 0}", domain=domain)[1:-1]
    sender = mailbox.address if mailbox else settings.DEFAULT_FROM_EMAIL
    sender_name = (mailbox.name if mailbox else "") or "Rapport"
    state, reason = OutboundState.QUEUED, ""
    if bounces.is_system_address(to):
        # A null sender, MAILER-DAEMON or postmaster reads nothing and answers with
        # another notice: mailing it can only start a loop.
        state, reason = OutboundState.SUPPRESSED, "addressed to a mail system, not a person"
    elif Mailbox.objects.filter(address=to).exists():
        state, reason = OutboundState.SUPPRESSED, "addressed to one of our own mailboxes"
    elif kind not in SCHEDULED_KINDS:
        recent = (
            OutboundMessage.objects.filter(
                to_address=to,
                created_at__gte=now - timedelta(hours=1),
                state__in=[OutboundState.QUEUED, OutboundState.SENT],
            )
            .exclude(kind__in=SCHEDULED_KINDS)
            .count()
        )
        if recent >= settings.RAPPORT_MAIL_RATE_PER_HOUR:
            state, reason = OutboundState.SUPPRESSED, "hourly limit for this recipient reached"
    outbound = OutboundMessage.objects.create(
        kind=kind, ticket=ticket, message=message, mailbox=mailbox,
        from_address=formataddr((sender_name, sender)), to_address=to, subject=subject[:400],
        body_text=text, body_html=html, rfc_id=rfc_id, in_reply_to=in_reply_to,
        references=" ".join(f"<{r}>" for r in references), state=state, reason=reason,
        created_at=now,
    )  # fmt: skip
    if ticket is not None:
        MessageRef.objects.create(
            rfc_id=rfc_id, ticket=ticket, message=message,
            direction=Direction.OUT, created_at=now,
        )  # fmt: skip
    if state == OutboundState.QUEUED:
        transaction.on_commit(lambda: _enqueue_send(outbound.pk))
    return outbound


def _enqueue_send(outbound_id: int) -> None:
    from rapport.mail.tasks import send_outbound

    send_outbound(outbound_id)


def send(outbound_id: int) -> OutboundMessage:
    """Send one queued mail through Django's mail backend; raise so the task retries."""
    outbound = OutboundMessage.objects.select_related("mailbox").get(pk=outbound_id)
    if outbound.state != OutboundState.QUEUED:
        return outbound
    OutboundMessage.objects.filter(pk=outbound_id).update(attempts=F("attempts") + 1)
    headers = {
        "Message-ID": f"<{outbound.rfc_id}>",
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",  # asks Exchange not to answer with an OOF
    }
    if outbound.in_reply_to:
        headers["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if outbound.references:
        headers["References"] = outbound.references
    mail = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=outbound.from_address,
        to=[outbound.to_address],
        reply_to=[outbound.mailbox.address] if outbound.mailbox else None,
        headers=headers,
    )
    if outbound.body_html:
        mail.attach_alternative(outbound.body_html, "text/html")
    try:
        mail.send()
    except Exception as exc:
        failed = outbound.attempts + 1 >= MAX_ATTEMPTS
        OutboundMessage.objects.filter(pk=outbound_id).update(
            reason=f"{type(exc).__name__}: {exc}"[:2000],
            state=OutboundState.FAILED if failed else OutboundState.QUEUED,
        )
        raise
    OutboundMessage.objects.filter(pk=outbound_id).update(
        state=OutboundState.SENT, sent_at=clock.now(), reason=""
    )
    outbound.refresh_from_db()
    return outbound


def recipients_of(ticket: Ticket) -> Iterable[str]:
    """Addresses that have had mail about a ticket (for display)."""
    return OutboundMessage.objects.filter(ticket=ticket).values_list("to_address", flat=True)
