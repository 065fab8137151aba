"""Placing one parsed message: classify, route, thread, then a ticket or a reply.

Runs inside the batch's transaction (see `batches`), in the message's savepoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from rapport.core import clock
from rapport.core.fast import reference, rows
from rapport.core.sanitize import clean_html, html_to_text
from rapport.directory.models import OrgMembership, Party, Person
from rapport.mail import body as bodies
from rapport.mail import routing, spam, store
from rapport.mail.classify import classify
from rapport.mail.models import (
    Direction,
    InboundMessage,
    InboundState,
    Mailbox,
    MessageRef,
    OutboundMessage,
    OutboundState,
    Outcome,
    ThreadRoot,
)
from rapport.mail.parse import ParsedAttachment, ParsedMail, message_ids
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Channel


@dataclass
class Progress:
    step: str = "parse"


class Batch:
    """What the messages of one batch look up, read once for all of them.

    Only what committed (or existed before the batch) is remembered: a message whose
    savepoint rolled back leaves no trace here either.
    """

    def __init__(self, mails: Iterable[ParsedMail]) -> None:
        self.ref = reference.snapshot()
        wanted: set[str] = set()
        senders: set[str] = set()
        for mail in mails:
            wanted.update((mail.message_id[:255], *routing.reference_ids(mail)))
            if mail.from_address:
                senders.add(mail.from_address)
        # Message-ID -> (ticket, direction) of every id the batch names.
        self.refs: dict[str, tuple[int, str]] = {
            rfc_id: (ticket_id, direction)
            for rfc_id, ticket_id, direction in MessageRef.objects.filter(
                rfc_id__in=wanted
            ).values_list("rfc_id", "ticket_id", "direction")
        }
        self.people = routing.people_by_address(senders)
        # The spam filter's verdicts, asked before the transaction (see `spam`).
        self.spam: dict[int, spam.Verdict] = {}
        # Their organisation memberships, for the client party of a new ticket: read
        # for all of them at the first new ticket (a batch of replies needs none).
        self._senders = list(self.people.values())
        self._memberships: dict[int, list[OrgMembership]] | None = None

    def known(self, mail: ParsedMail, *, fresh: bool) -> dict[str, tuple[int, str]]:
        ids = [mail.message_id[:255], *routing.reference_ids(mail)]
        if fresh:  # a retry after a concurrent writer: ask the database again
            self.refs.update(
                (rfc_id, (ticket_id, direction))
                for rfc_id, ticket_id, direction in MessageRef.objects.filter(
                    rfc_id__in=ids
                ).values_list("rfc_id", "ticket_id", "direction")
            )
        return {i: self.refs[i] for i in ids if i in self.refs}

    def client_of(self, person: Person, provider: Party) -> Party | None:
        """The party a new ticket from this sender is for, if the batch knows enough
        (None: let the ticket action find out)."""
        if not any(person is sender for sender in self._senders):
            return None  # a contact made in this batch: read afresh
        if self._memberships is None:
            self._memberships = {sender.pk: [] for sender in self._senders}
            for membership in OrgMembership.objects.filter(person__in=self._senders).select_related(
                "organisation__party"
            ):
                self._memberships[membership.person_id].append(membership)
        return ticket_actions.default_client_party(person, provider, self._memberships[person.pk])

    def placed(self, inbound: InboundMessage, person: Person | None) -> None:
        if inbound.state == InboundState.PROCESSED and inbound.ticket_id is not None:
            self.refs.setdefault(inbound.rfc_id, (inbound.ticket_id, Direction.IN))
        if person is not None and person.email:
            self.people.setdefault(person.email.lower(), person)


def place(
    inbound: InboundMessage, mail: ParsedMail, progress: Progress, batch: Batch, *, fresh: bool
) -> Person | None:
    """Place one message; the sender, when it was placed on a ticket."""
    inbound.rfc_id = mail.message_id[:255]
    inbound.sender = mail.from_address[:254]
    inbound.subject = mail.subject[:300]
    inbound.attempts += 1
    inbound.processed_at = clock.now()

    progress.step = "classify"
    # The batch's one lookup answers both "seen before?" (its own Message-ID) and,
    # for a reply, which ticket its In-Reply-To/References belong to.
    known = batch.known(mail, fresh=fresh)
    seen = known.pop(mail.message_id[:255], None)
    if seen is not None and seen[1] == Direction.OUT:
        _ignore(inbound, Outcome.LOOP, f"our own Message-ID came back (#{seen[0]})", seen[0])
        return None
    if seen is not None and _same_message(inbound, mail.message_id[:255]):
        _ignore(inbound, Outcome.DUPLICATE, f"the same message again (#{seen[0]})", seen[0])
        return None
    # Another message reusing a Message-ID we received (other content, not just other
    # relay headers) is kept and placed like any other.
    reused = seen is not None
    # Our own addresses, statuses and agreements from the process's copy (the batch
    # checked it is current), shared with the ticket action below.
    ref = batch.ref
    own = ref.get(
        ("mailbox_addresses",), lambda: frozenset(Mailbox.objects.values_list("address", flat=True))
    )
    outcome, reason = classify(mail, own, inbound.envelope_from)
    released = inbound.released_at is not None
    if outcome == Outcome.SPAM and not released:
        _hold_as_spam(inbound, reason, None)
        return None
    if outcome and outcome != Outcome.SPAM:
        ticket_id = _ticket_of_references(mail)
        if outcome == Outcome.BOUNCE:
            _mark_bounced(mail, inbound)
        _ignore(inbound, outcome, reason, ticket_id)
        return None
    verdict = batch.spam.get(inbound.pk)
    if verdict is not None:
        inbound.spam_score = verdict.score
        if verdict.is_spam and not released:
            _hold_as_spam(inbound, f"spam filter: score {verdict.score:g}", verdict.score)
            return None

    progress.step = "route"
    mailbox = routing.choose_mailbox(inbound.mailbox, mail, ref)
    inbound.mailbox = mailbox
    person = routing.sender(mail, mailbox, inbound.envelope_from, known=batch.people)
    progress.step = "thread"
    inbound.cc = ",".join(mail.cc_addresses)[:10_000]
    # Placing a thread is serial: the thread's root row is locked until this
    # transaction commits, so a second message of the thread (in this batch or in
    # another worker) waits and then sees the ticket this one opens.
    root_id = routing.thread_root(mail)
    if reused and root_id == mail.message_id[:255]:
        # A sender that gives every message the same id must not thread them together.
        root_id = f"{inbound.raw.sha256}@reused-id.invalid"
    root, root_ticket = _lock_thread(root_id, inbound.processed_at)
    ticket = routing.thread(
        mail, person, known={k: v[0] for k, v in known.items()}, root_ticket=root_ticket
    )

    progress.step = "attachments"
    tokens, cids, notes = _attachments(mail.attachments, person)
    progress.step = "body"
    body, is_html = bodies.display_body(mail, is_reply=ticket is not None, cids=cids, notes=notes)
    full_html = clean_html(bodies.rewrite_cids(mail.html, cids)) if mail.html else ""
    inbound.full_html = full_html
    inbound.full_text = mail.text if mail.text is not None else html_to_text(full_html)

    progress.step = "ticket"
    message_pk: int
    if ticket is not None:
        message_pk = ticket_actions.reply(
            None, ticket, body=body, body_is_html=is_html, attachments=tokens,
            channel=Channel.EMAIL, author=person, author_may_add=True,
        ).pk  # fmt: skip
        inbound.outcome = Outcome.REPLY
    else:
        opened = ticket_actions.open_ticket(
            None, subject=mail.subject or "(no subject)", body=body, body_is_html=is_html,
            provider=mailbox.provider_party, requester=person,
            client=batch.client_of(person, mailbox.provider_party),
            priority=mailbox.default_priority, channel=Channel.EMAIL, attachments=tokens,
            ref=ref,
        )  # fmt: skip
        ticket, message_pk = opened.ticket, opened.message.pk
        inbound.outcome = Outcome.TICKET
    if root_ticket is None:
        ThreadRoot.objects.filter(pk=root, ticket__isnull=True).update(ticket=ticket)
    # The two rows every placed message writes, by statements built once (rows); a
    # reused Message-ID keeps threading to the ticket that first had it.
    if not reused:
        rows.insert([MessageRef(
            rfc_id=mail.message_id[:255], ticket=ticket, message_id=message_pk,
            direction=Direction.IN, created_at=inbound.processed_at,
        )])  # fmt: skip
    inbound.ticket = ticket
    inbound.message_id = message_pk
    inbound.state = InboundState.PROCESSED
    inbound.reason = ""
    rows.update(inbound, _PLACED_AS_MESSAGE)
    return person


_PLACED_FIELDS = [
    "rfc_id", "sender", "subject", "attempts", "processed_at", "mailbox", "state", "outcome",
    "reason", "cc", "spam_score",
]  # fmt: skip
_PLACED_AS_MESSAGE = [*_PLACED_FIELDS, "ticket", "message", "full_text", "full_html"]


def _ignore(inbound: InboundMessage, outcome: str, reason: str, ticket_id: int | None) -> None:
    inbound.state = InboundState.IGNORED
    inbound.outcome = outcome
    inbound.reason = reason
    inbound.ticket_id = ticket_id
    inbound.save(update_fields=[*_PLACED_FIELDS, "ticket"])


def _hold_as_spam(inbound: InboundMessage, reason: str, score: float | None) -> None:
    """Spam waits for an agent's review (released or confirmed), never deleted."""
    inbound.state = InboundState.SPAM
    inbound.outcome = Outcome.SPAM
    inbound.reason = reason
    inbound.spam_score = score
    inbound.save(update_fields=_PLACED_FIELDS)


def _same_message(inbound: InboundMessage, rfc_id: str) -> bool:
    """Whether an earlier delivery with this Message-ID had the same content, apart
    from the trace headers relays add (the very same bytes never get this far: the
    intake keeps them once). Asked only on a Message-ID collision, which is rare."""
    earlier = (
        InboundMessage.objects.filter(rfc_id=rfc_id, state=InboundState.PROCESSED)
        .exclude(pk=inbound.pk)
        .select_related("raw")
        .order_by("id")
    )
    mine = store.content_digest(inbound.raw.path)
    return any(store.content_digest(e.raw.path) == mine for e in earlier[:5])


def _lock_thread(rfc_id: str, now: datetime) -> tuple[int, int | None]:
    """Lock the thread's root row, made if missing: (its id, the ticket it opened).

    One statement: the upsert takes the row lock on PostgreSQL (a concurrent placer
    of the same thread waits here until this transaction ends, then reads the
    ticket it opened); SQLite's IMMEDIATE transactions are serial already."""
    table = connection.ops.quote_name(ThreadRoot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (rfc_id, created_at) VALUES (%s, %s) "  # noqa: S608 - our table
            "ON CONFLICT (rfc_id) DO UPDATE SET rfc_id = EXCLUDED.rfc_id "
            "RETURNING id, ticket_id",
            [rfc_id, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    return int(row[0]), row[1]


def _ticket_of_references(mail: ParsedMail) -> int | None:
    ids = [*mail.in_reply_to, *mail.references, *_embedded_ids(mail)][: routing.MAX_REFERENCES]
    if not ids:
        return None
    ref = MessageRef.objects.filter(rfc_id__in=ids).order_by("-created_at").first()
    return ref.ticket_id if ref is not None else None


def _embedded_ids(mail: ParsedMail) -> list[str]:
    """Message-IDs of the original a bounce carries (message/rfc822 or text/rfc822-headers)."""
    found: list[str] = []
    for attachment in mail.attachments:
        if attachment.content_type in ("message/rfc822", "text/rfc822-headers"):
            head = attachment.head(20_000).decode("utf-8", "replace")
            match = re.search(r"^message-id:\s*(.+)$", head, re.IGNORECASE | re.MULTILINE)
            if match:
                found += message_ids(match.group(1))
    return found


def _mark_bounced(mail: ParsedMail, inbound: InboundMessage) -> None:
    ids = [*mail.in_reply_to, *mail.references, *_embedded_ids(mail)]
    if ids:
        OutboundMessage.objects.filter(rfc_id__in=ids[:50]).update(
            state=OutboundState.BOUNCED, reason=f"bounced (inbound {inbound.pk})"
        )


def _attachments(
    parts: list[ParsedAttachment], person: Person
) -> tuple[list[str], dict[str, int], list[str]]:
    """Upload each part through the storage API: tokens to claim, inline ids → attachment
    ids, and notes on what was left out (still in the stored original)."""
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
    tokens: list[str] = []
    cids: dict[str, int] = {}
    notes: list[str] = []
    for part in parts:
        size = part.size
        if not size:
            continue
        if size > limit:
            notes.append(
                f"{part.filename} ({size // (1024 * 1024)} MiB) is larger than "
                f"{limit // (1024 * 1024)} MiB; it is kept in the original message."
            )
            continue
        with part.open() as stream:
            attachment = ticket_actions.upload(
                person, stream=stream, filename=part.filename, size=size,
                content_type=bodies.sniff(part),
            )  # fmt: skip
        tokens.append(attachment.token.hex)
        if part.content_id:
            cids[part.content_id] = attachment.pk
    return tokens, cids, notes
