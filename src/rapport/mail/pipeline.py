"""The inbound pipeline. Nothing is lost:

(a) `receive_many` stores the raw bytes (content-addressed, synced to disk) and
    an `InboundMessage` in state `received` for a batch of deliveries, and only
    then may the transport acknowledge them;
(b)–(g) `process_many` parses, classifies, threads, trims quotes, stores
    attachments and sanitises, writing each ticket or reply, the Message-ID map
    and the new state in ONE transaction for the batch, a savepoint per message:
    a crash anywhere leaves the batch `received` (picked up again by the sweeper)
    and no half ticket; any error rolls back that message's savepoint and moves it
    to `quarantined` with the reason, to be replayed.

`receive` and `process` are the same for a single message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import puremagic
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.fast import reference, rows
from rapport.core.sanitize import clean_html, html_to_text
from rapport.directory.models import OrgMembership, Party, Person
from rapport.mail import routing, spool, store
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
    RawMessage,
)
from rapport.mail.parse import ParsedAttachment, ParsedMail, message_ids, parse
from rapport.mail.quotes import new_html, new_text
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Channel, Ticket

logger = logging.getLogger(__name__)
MAX_DISPLAY = 190_000  # characters of a message body; the full original stays stored
# Messages placed in one transaction: enough to share its commit and lookups, few
# enough that the write lock is held for tens of milliseconds, not seconds.
BATCH = 25
BATCH_BYTES = 16 * 1024 * 1024  # of raw mail parsed and held together


@dataclass
class Delivery:
    """One message as a transport hands it over."""

    source: bytes | IO[bytes]
    transport: str
    mailbox: Mailbox | None = None
    envelope_from: str = ""
    recipients: Sequence[str] = ()


def receive(
    source: bytes | IO[bytes],
    *,
    transport: str,
    mailbox: Mailbox | None = None,
    envelope_from: str = "",
    recipients: Iterable[str] = (),
    enqueue: bool = True,
) -> InboundMessage:
    """Step (a) for one message: see `receive_many`."""
    delivery = Delivery(source, transport, mailbox, envelope_from, list(recipients))
    return receive_many([delivery], enqueue=enqueue)[0]


@contextmanager
def synced_commit() -> Iterator[None]:
    """A commit that survives a power cut, for the receipt acknowledged after it.

    Our SQLite runs in WAL mode with synchronous=NORMAL, which syncs the log only at
    checkpoints: fast, and safe against a crash of the process, but a power cut may
    take the last commits. The raw files are synced already; FULL syncs the receipt's
    commit too, once per batch. PostgreSQL syncs every commit. Inside an outer
    transaction (which decides when the commit happens) SQLite refuses the change.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")


def receive_many(deliveries: Sequence[Delivery], *, enqueue: bool = True) -> list[InboundMessage]:
    """Step (a): store the messages durably; acknowledge them only after this returns.

    A batch (what the SMTP listener gathered meanwhile, a chunk of an IMAP fetch)
    shares the cost of durability: the raw files are written, then synced
    together, then recorded in one transaction that queues one processing task.
    The same bytes delivered again (an MTA retrying after a lost reply, an IMAP
    poll interrupted before it marked the mail) return the first delivery.
    """
    stored: list[tuple[str, int, str]] = []  # (sha256, size, path)
    for delivery in deliveries:
        stream, sha256, size = store.spool(delivery.source)
        try:
            stored.append((sha256, size, store.write(stream, sha256, size)))
        finally:
            stream.close()
    store.make_durable(path for _, _, path in stored)
    ref: reference.Snapshot | None = None
    now = clock.now()
    with synced_commit(), transaction.atomic():
        # A concurrent delivery of the same bytes makes one of these INSERTs fail: that
        # batch gets a temporary error and its retry finds this one.
        raws = {
            r.sha256: r for r in RawMessage.objects.filter(sha256__in={s for s, _, _ in stored})
        }
        first: dict[int, InboundMessage] = {}
        for inbound in InboundMessage.objects.filter(raw__in=list(raws.values())).order_by("-id"):
            first[inbound.raw_id] = inbound
        missing = {sha256: (size, path) for sha256, size, path in stored if sha256 not in raws}
        created = RawMessage.objects.bulk_create(
            RawMessage(sha256=sha256, size=size, path=path, created_at=now)
            for sha256, (size, path) in missing.items()
        )
        raws.update((raw.sha256, raw) for raw in created)
        results: list[InboundMessage] = []
        fresh: list[InboundMessage] = []
        for delivery, (sha256, _, _) in zip(deliveries, stored, strict=True):
            raw = raws[sha256]
            if raw.pk in first:  # delivered before, or twice in this batch
                results.append(first[raw.pk])
                continue
            recipients = [r.strip().lower() for r in delivery.recipients]
            mailbox = delivery.mailbox
            if mailbox is None and recipients:
                ref = ref or reference.current()
                mailbox = routing.mailbox_for(recipients, ref)
            inbound = InboundMessage(
                raw=raw,
                mailbox=mailbox,
                transport=delivery.transport,
                envelope_from=delivery.envelope_from[:254],
                envelope_to=",".join(recipients),
                received_at=now,
            )
            first[raw.pk] = inbound
            fresh.append(inbound)
            results.append(inbound)
        InboundMessage.objects.bulk_create(fresh)
        if enqueue and fresh:
            ids = [inbound.pk for inbound in fresh]
            transaction.on_commit(lambda: _enqueue(ids))
    return results


def _enqueue(inbound_ids: list[int]) -> None:
    from rapport.mail.tasks import process_inbound, process_inbound_batch

    if len(inbound_ids) == 1:
        process_inbound(inbound_ids[0])
    else:
        process_inbound_batch(inbound_ids)


@dataclass
class _Progress:
    step: str = "parse"


class _Batch:
    """What the messages of one batch look up, read once for all of them.

    Only what committed (or existed before the batch) is remembered: a message whose
    savepoint rolled back leaves no trace here either.
    """

    def __init__(self, mails: Iterable[ParsedMail]) -> None:
        self.ref = reference.current()
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
            self.refs[inbound.rfc_id] = (inbound.ticket_id, Direction.IN)
        if person is not None and person.email:
            self.people.setdefault(person.email.lower(), person)


def process(inbound_id: int) -> InboundMessage:
    """Steps (b)–(g) for one received message; safe to call again at any time."""
    done = process_many([inbound_id])
    if not done:
        raise InboundMessage.DoesNotExist(f"no inbound message {inbound_id}")
    return done[0]


def process_many(inbound_ids: Sequence[int]) -> list[InboundMessage]:
    """Steps (b)–(g) for a batch; safe to call again at any time, on any of them.

    Parsing happens first, outside any transaction. Then ONE transaction places
    every message, each in its own savepoint: a message that fails rolls back only
    its savepoint and is quarantined with the reason, the others stand. A crash
    anywhere leaves all of the batch `received` (the sweeper takes it again) and no
    half ticket. The messages found, in the order asked.
    """
    ids = list(dict.fromkeys(inbound_ids))
    loaded = InboundMessage.objects.select_related("raw", "mailbox__provider_party").in_bulk(ids)
    todo = [loaded[i] for i in ids if i in loaded and loaded[i].state == InboundState.RECEIVED]
    done: dict[int, InboundMessage] = {}
    for part in _by_size(todo):
        parsed: dict[int, ParsedMail | Exception] = {}
        spoolers: list[spool.Spooler] = []
        try:
            for inbound in part:
                try:
                    parsed[inbound.pk] = _parse(inbound, spoolers)
                except Exception as exc:
                    parsed[inbound.pk] = exc
            done.update(_place_all(part, parsed))
        finally:
            for spooler in spoolers:
                spooler.cleanup()
    return [done.get(i, loaded[i]) for i in ids if i in loaded]


def _by_size(todo: list[InboundMessage]) -> Iterator[list[InboundMessage]]:
    """The batch in parts of at most BATCH_BYTES of raw mail: a batch's parsed messages
    are held in memory together, so big ones are placed alone (one at a time, as the
    50 MB attachment target assumes)."""
    part: list[InboundMessage] = []
    size = 0
    for inbound in todo:
        if part and size + inbound.raw.size > BATCH_BYTES:
            yield part
            part, size = [], 0
        part.append(inbound)
        size += inbound.raw.size
    if part:
        yield part


def _parse(inbound: InboundMessage, spoolers: list[spool.Spooler]) -> ParsedMail:
    with store.open_raw(inbound.raw.path) as handle:
        source: IO[bytes] = handle
        spooler: spool.Spooler | None = None
        if inbound.raw.size > spool.LARGE:
            spooler = spool.Spooler(handle)
            spoolers.append(spooler)
            source = spooler.run()
        return parse(
            source,
            fallback_id=f"{inbound.raw.sha256}@missing-id.invalid",
            spooled=frozenset(spooler.files) if spooler else frozenset(),
        )


class _Undone(Exception):
    """A lone message failed: its transaction is rolled back whole."""

    def __init__(self, error: Exception, progress: _Progress) -> None:
        super().__init__(str(error))
        self.error = error
        self.progress = progress


_Failure = tuple[Exception, _Progress, ParsedMail | None]


def _place_all(
    todo: list[InboundMessage], parsed: dict[int, ParsedMail | Exception]
) -> dict[int, InboundMessage]:
    done: dict[int, InboundMessage] = {}
    failed: dict[int, _Failure] = {}
    # A lone message needs no savepoint: its transaction is its unit, rolled back on
    # failure and taken again for a concurrent writer's IntegrityError.
    alone = len(todo) == 1
    for attempt in range(2):
        failed.clear()
        try:
            with transaction.atomic():
                done = _place_batch(todo, parsed, failed, alone=alone, fresh=attempt > 0)
            break
        except _Undone as undone:
            done = {}
            if isinstance(undone.error, IntegrityError) and not attempt:
                continue
            lone = parsed[todo[0].pk]
            readable = lone if isinstance(lone, ParsedMail) else None
            failed[todo[0].pk] = (undone.error, undone.progress, readable)
            break
    # Quarantined after the placing transaction committed: a crash in between leaves
    # them `received`, to fail again and be quarantined by the sweeper.
    for inbound_id, (error, progress, mail) in failed.items():
        done[inbound_id] = _quarantine_failed(inbound_id, error, progress, mail)
    missing = [inbound.pk for inbound in todo if inbound.pk not in done]
    done.update(InboundMessage.objects.in_bulk(missing))
    return done


def _place_batch(
    todo: list[InboundMessage],
    parsed: dict[int, ParsedMail | Exception],
    failed: dict[int, _Failure],
    *,
    alone: bool,
    fresh: bool,
) -> dict[int, InboundMessage]:
    done: dict[int, InboundMessage] = {}
    current = {
        pk: (state, attempts)
        for pk, state, attempts in InboundMessage.objects.select_for_update()
        .filter(pk__in=[inbound.pk for inbound in todo])
        .values_list("pk", "state", "attempts")
    }
    batch = _Batch(m for m in parsed.values() if isinstance(m, ParsedMail))
    for inbound in todo:
        state, attempts = current.get(inbound.pk, ("", 0))
        if state != InboundState.RECEIVED:
            continue  # another worker got there first: read afterwards as it stands
        mail = parsed[inbound.pk]
        if isinstance(mail, Exception):
            failed[inbound.pk] = (mail, _Progress(), None)
            continue
        progress = _Progress()
        inbound.attempts = attempts
        if alone:
            try:
                person = _place(inbound, mail, progress, batch, fresh=fresh)
            except Exception as exc:
                raise _Undone(exc, progress) from exc
            done[inbound.pk] = inbound
            continue
        for retry in range(2):
            inbound.attempts = attempts
            try:
                with transaction.atomic():  # a savepoint: a failure undoes this message only
                    person = _place(inbound, mail, progress, batch, fresh=fresh or retry > 0)
            except IntegrityError as exc:
                # A concurrent delivery of the same Message-ID won the race: the
                # second pass sees it and records this one as a duplicate.
                if not retry:
                    continue
                failed[inbound.pk] = (exc, progress, mail)
            except Exception as exc:
                failed[inbound.pk] = (exc, progress, mail)
            else:
                batch.placed(inbound, person)
                done[inbound.pk] = inbound
            break
    return done


def _quarantine_failed(
    inbound_id: int, exc: Exception, progress: _Progress, mail: ParsedMail | None
) -> InboundMessage:
    logger.warning("quarantined inbound %s at %s: %r", inbound_id, progress.step, exc)
    return quarantine(inbound_id, f"{progress.step}: {_describe(exc)}", mail)


def _describe(exc: Exception) -> str:
    if isinstance(exc, routing.Quarantine | RapportError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"[:2000]


def quarantine(inbound_id: int, reason: str, mail: ParsedMail | None = None) -> InboundMessage:
    """Park a message with the reason; what could be read of it stays visible."""
    known = {}
    if mail is not None:
        known = {
            "rfc_id": mail.message_id[:255],
            "sender": mail.from_address[:254],
            "subject": mail.subject[:300],
        }
    InboundMessage.objects.filter(pk=inbound_id, state=InboundState.RECEIVED).update(
        state=InboundState.QUARANTINED,
        reason=reason,
        attempts=F("attempts") + 1,
        processed_at=clock.now(),
        **known,
    )
    return InboundMessage.objects.get(pk=inbound_id)


def _place(
    inbound: InboundMessage, mail: ParsedMail, progress: _Progress, batch: _Batch, *, fresh: bool
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
    if seen is not None:
        repeat = Outcome.DUPLICATE if seen[1] == Direction.IN else Outcome.LOOP
        _ignore(inbound, repeat, f"Message-ID seen before (#{seen[0]})", seen[0])
        return None
    # Our own addresses, statuses and agreements from the process's copy (the batch
    # checked it is current), shared with the ticket action below.
    ref = batch.ref
    own = ref.get(
        ("mailbox_addresses",), lambda: frozenset(Mailbox.objects.values_list("address", flat=True))
    )
    outcome, reason = classify(mail, own)
    if outcome:
        ticket_id = _ticket_of_references(mail)
        if outcome == Outcome.BOUNCE:
            _mark_bounced(mail, inbound)
        _ignore(inbound, outcome, reason, ticket_id)
        return None

    progress.step = "route"
    mailbox = routing.choose_mailbox(inbound.mailbox, mail, ref)
    inbound.mailbox = mailbox
    person = routing.sender(mail, mailbox, inbound.envelope_from, known=batch.people)
    progress.step = "thread"
    ticket = routing.thread(mail, person, known={k: v[0] for k, v in known.items()})

    progress.step = "attachments"
    tokens, cids, notes = _attachments(mail.attachments, person)
    progress.step = "body"
    body, is_html = _display_body(mail, is_reply=ticket is not None, cids=cids, notes=notes)
    full_html = clean_html(_rewrite_cids(mail.html, cids)) if mail.html else ""
    inbound.full_html = full_html
    inbound.full_text = mail.text if mail.text is not None else html_to_text(full_html)

    progress.step = "ticket"
    message_pk: int
    if ticket is not None:
        message_pk = ticket_actions.reply(
            None, ticket, body=body, body_is_html=is_html, attachments=tokens,
            channel=Channel.EMAIL, author=person,
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
    # The two rows every placed message writes, by statements built once (rows).
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
    "reason",
]  # fmt: skip
_PLACED_AS_MESSAGE = [*_PLACED_FIELDS, "ticket", "message", "full_text", "full_html"]


def _ignore(inbound: InboundMessage, outcome: str, reason: str, ticket_id: int | None) -> None:
    inbound.state = InboundState.IGNORED
    inbound.outcome = outcome
    inbound.reason = reason
    inbound.ticket_id = ticket_id
    inbound.save(update_fields=[*_PLACED_FIELDS, "ticket"])


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


def _sniff(attachment: ParsedAttachment) -> str:
    """The content type the bytes show, when they contradict or refine the declared one."""
    declared = attachment.content_type
    try:
        guesses = puremagic.magic_string(attachment.head(8192))
    except Exception:
        guesses = []
    sniffed = next((g.mime_type for g in guesses if g.mime_type), "")
    if not sniffed or sniffed == declared:
        return declared
    if (
        declared in ("application/octet-stream", "")
        or declared.split("/")[0] != sniffed.split("/")[0]
    ):
        # A file claiming to be an image but holding an executable is served as what it is.
        return sniffed
    return declared


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
                content_type=_sniff(part),
            )  # fmt: skip
        tokens.append(attachment.token.hex)
        if part.content_id:
            cids[part.content_id] = attachment.pk
    return tokens, cids, notes


def _rewrite_cids(html: str | None, cids: dict[str, int]) -> str:
    """Inline images (`cid:`) point at their stored attachment."""
    if not html or not cids:
        return html or ""

    def swap(match: re.Match[str]) -> str:
        attachment = cids.get(match.group(2))
        if attachment is None:
            return match.group(0)
        return f"{match.group(1)}/api/v1/attachments/{attachment}"

    return re.sub(r"""(src=["']?)cid:([^"'\s>]+)""", swap, html, flags=re.IGNORECASE)


def _display_body(
    mail: ParsedMail, *, is_reply: bool, cids: dict[str, int], notes: list[str]
) -> tuple[str, bool]:
    """What the thread shows: the new text of a reply (a new ticket keeps all of it,
    forwarded history included), with a line for each attachment left out."""
    text_reply = new_text(mail.text) if is_reply and mail.text else None
    if mail.html is not None:
        html = _rewrite_cids(mail.html, cids)
        if is_reply:
            cut = new_html(html)
            if cut == html and text_reply is not None and len(text_reply) < len(mail.text or ""):
                # No quote marker we know in the HTML, but the plain part shows where the
                # quoted history starts: the trimmed text beats the whole HTML.
                return _text_body(text_reply, mail, notes), False
            html = cut
        html = clean_html(html[:MAX_DISPLAY])
        if html_to_text(html).strip() or "<img" in html:
            html += "".join(f"<p><em>{_escape(n)}</em></p>" for n in notes)
            return html, True
    return _text_body(text_reply if text_reply is not None else mail.text or "", mail, notes), False


def _text_body(text: str, mail: ParsedMail, notes: list[str]) -> str:
    text = text[:MAX_DISPLAY].strip()
    if not text:
        text = "(This message has no text.)" if not mail.attachments else "(See attachments.)"
    if notes:
        text += "\n\n" + "\n".join(notes)
    return text


def _escape(value: str) -> str:
    import html

    return html.escape(value)


def replay(inbound: InboundMessage) -> InboundMessage:
    """Process a quarantined (or still received) message again, after a fix."""
    updated = InboundMessage.objects.filter(
        pk=inbound.pk, state__in=[InboundState.QUARANTINED, InboundState.RECEIVED]
    ).update(state=InboundState.RECEIVED)
    if not updated:
        return InboundMessage.objects.get(pk=inbound.pk)
    return process(inbound.pk)


def ticket_message_ids(ticket: Ticket, limit: int = 20) -> list[str]:
    """The Message-IDs of a ticket's mail, oldest first: the References of a new mail."""
    rows = MessageRef.objects.filter(ticket=ticket).order_by("-created_at", "-id")[:limit]
    return [r.rfc_id for r in reversed(list(rows))]
