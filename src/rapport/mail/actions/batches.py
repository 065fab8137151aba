"""Steps (b)–(g) for a batch of received messages, and the quarantine.

`process_many` parses, then writes each ticket or reply, the Message-ID map and
the new state in ONE transaction for the batch, a savepoint per message: a crash
anywhere leaves the batch `received` (picked up again by the sweeper) and no half
ticket; any error rolls back that message's savepoint and moves it to
`quarantined` with the reason, to be replayed. Placing one message is `placing`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import F

from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.mail import bounces, routing, spam, spool, store
from rapport.mail.actions.placing import Batch, Progress, place
from rapport.mail.models import InboundMessage, InboundState
from rapport.mail.parse import ParsedMail, parse

logger = logging.getLogger(__name__)
# Messages placed in one transaction: enough to share its commit and lookups, few
# enough that the write lock is held for tens of milliseconds, not seconds.
BATCH = 25
BATCH_BYTES = 16 * 1024 * 1024  # of raw mail parsed and held together


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
            verdicts = _spam_verdicts(part, parsed)
            done.update(_place_all(part, parsed, verdicts))
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
        mail = parse(
            source,
            fallback_id=f"{inbound.raw.sha256}@missing-id.invalid",
            spooled=frozenset(spooler.files) if spooler else frozenset(),
        )
    # Bounce detection reads the whole MIME tree: done now, outside the placing
    # transaction, so the batch does not hold every tree in memory meanwhile.
    mail.notice = bounces.detect(mail, inbound.envelope_from)
    mail.notice_checked = True
    mail.message = None
    return mail


class _Undone(Exception):
    """A lone message failed: its transaction is rolled back whole."""

    def __init__(self, error: Exception, progress: Progress) -> None:
        super().__init__(str(error))
        self.error = error
        self.progress = progress


_Failure = tuple[Exception, Progress, ParsedMail | None]


def _spam_verdicts(
    todo: list[InboundMessage], parsed: dict[int, ParsedMail | Exception]
) -> dict[int, spam.Verdict]:
    """spamd's verdict on each readable message, asked before the transaction opens (a
    scan takes tens of milliseconds; no lock is held meanwhile). Released mail (an
    agent said "not spam") is not asked again."""
    if spam.address() is None:
        return {}
    verdicts: dict[int, spam.Verdict] = {}
    for inbound in todo:
        if inbound.released_at is not None or not isinstance(parsed.get(inbound.pk), ParsedMail):
            continue
        if inbound.raw.size > spam.MAX_BYTES:
            continue
        with store.open_raw(inbound.raw.path) as handle:
            verdict = spam.check(handle.read())
        if verdict is not None:
            verdicts[inbound.pk] = verdict
    return verdicts


def _place_all(
    todo: list[InboundMessage],
    parsed: dict[int, ParsedMail | Exception],
    verdicts: dict[int, spam.Verdict],
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
                done = _place_batch(todo, parsed, verdicts, failed, alone=alone, fresh=attempt > 0)
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
    verdicts: dict[int, spam.Verdict],
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
    batch = Batch(m for m in parsed.values() if isinstance(m, ParsedMail))
    batch.spam = verdicts
    for inbound in todo:
        state, attempts = current.get(inbound.pk, ("", 0))
        if state != InboundState.RECEIVED:
            continue  # another worker got there first: read afterwards as it stands
        mail = parsed[inbound.pk]
        if isinstance(mail, Exception):
            failed[inbound.pk] = (mail, Progress(), None)
            continue
        progress = Progress()
        inbound.attempts = attempts
        if alone:
            try:
                person = place(inbound, mail, progress, batch, fresh=fresh)
            except Exception as exc:
                raise _Undone(exc, progress) from exc
            done[inbound.pk] = inbound
            continue
        for retry in range(2):
            inbound.attempts = attempts
            try:
                with transaction.atomic():  # a savepoint: a failure undoes this message only
                    person = place(inbound, mail, progress, batch, fresh=fresh or retry > 0)
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
    inbound_id: int, exc: Exception, progress: Progress, mail: ParsedMail | None
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


def replay(inbound: InboundMessage) -> InboundMessage:
    """Process a quarantined (or still received) message again, after a fix."""
    updated = InboundMessage.objects.filter(
        pk=inbound.pk, state__in=[InboundState.QUARANTINED, InboundState.RECEIVED]
    ).update(state=InboundState.RECEIVED)
    if not updated:
        return InboundMessage.objects.get(pk=inbound.pk)
    return process(inbound.pk)
