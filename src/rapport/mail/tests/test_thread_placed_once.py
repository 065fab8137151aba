"""Two messages of one thread placed at once, in one batch or by two workers, open one
ticket: placing a thread is serial on its root Message-ID (PostgreSQL row lock;
SQLite's write transactions are serial), and a reply that overtakes the message it
answers still lands on the ticket that message opens."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from rapport.mail import pipeline
from rapport.mail.models import Mailbox, Outcome
from rapport.mail.testing import build
from rapport.tickets.models import Ticket


def _thread(n: int) -> tuple[bytes, bytes]:
    root = f"<root{n}@client.example>"
    original = build(subject=f"VPN down {n}", message_id=root)
    reply = build(subject=f"Re: VPN down {n}", in_reply_to=root, references=root,
                  text="And the wifi too.")  # fmt: skip
    return original, reply


def _receive(*raws: bytes, mailbox: Mailbox) -> list[int]:
    deliveries = [pipeline.Delivery(raw, "smtp", mailbox) for raw in raws]
    return [i.pk for i in pipeline.receive_many(deliveries, enqueue=False)]


def test_a_reply_ahead_of_its_original_in_one_batch_joins_its_ticket(mailbox: Mailbox) -> None:
    original, reply = _thread(1)
    first, second = pipeline.process_many(_receive(reply, original, mailbox=mailbox))
    assert first.outcome == Outcome.TICKET
    assert (second.outcome, second.ticket_id) == (Outcome.REPLY, first.ticket_id)
    assert Ticket.objects.count() == 1


def test_a_reply_ahead_of_its_original_in_two_batches_joins_its_ticket(mailbox: Mailbox) -> None:
    original, reply = _thread(2)
    (first,) = pipeline.process_many(_receive(reply, mailbox=mailbox))
    (second,) = pipeline.process_many(_receive(original, mailbox=mailbox))
    assert (second.outcome, second.ticket_id) == (Outcome.REPLY, first.ticket_id)


def _work(inbound_id: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait(timeout=30)
        pipeline.process(inbound_id)
    except BaseException as exc:  # reported by the test's own thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_placing_one_thread_at_once_open_one_ticket(mailbox: Mailbox) -> None:
    errors: list[BaseException] = []
    for n in range(3):
        ids = _receive(*_thread(10 + n), mailbox=mailbox)
        start = threading.Barrier(2)
        workers = [threading.Thread(target=_work, args=(pk, start, errors)) for pk in reversed(ids)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    assert not errors, errors
    assert Ticket.objects.count() == 3
