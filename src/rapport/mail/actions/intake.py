"""Step (a) of the inbound pipeline: store what a transport hands over, durably.

`receive_many` stores the raw bytes (content-addressed, synced to disk) and an
`InboundMessage` in state `received` for a batch of deliveries, and only then may
the transport acknowledge them. Processing (`batches`) happens later, in a task.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.db import connection, transaction

from rapport.core import clock
from rapport.core.fast import reference
from rapport.mail import routing, store
from rapport.mail.models import InboundMessage, Mailbox, RawMessage


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
                ref = ref or reference.snapshot()
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
