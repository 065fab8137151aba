"""Kill a real worker with SIGKILL in the middle of a batch, then run again: every
message ends as exactly one ticket, none is lost and none is half-written."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY

from rapport.mail import pipeline
from rapport.mail.models import InboundMessage, InboundState
from rapport.mail.testing import SUPPORT, support_mailbox
from rapport.testing import build_world
from rapport.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BATCH = 40


def _env() -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "RAPPORT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "RAPPORT_MAIL_NOTIFY": "0",
        "LOG_LEVEL": "WARNING",
    }


def _worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "worker", "--no-periodic"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)  # polling the database for the worker's progress


def _message(i: int) -> bytes:
    # A 1 MiB attachment makes each message take long enough to be caught mid-way.
    blob = base64.encodebytes(os.urandom(1024 * 1024)).decode().replace("\n", "\r\n")
    return (
        f"From: contact@example.com\r\nTo: {SUPPORT}\r\nSubject: Crash test {i}\r\n"
        f"Message-ID: <crash-{i}@client.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        f"--b\r\nContent-Type: text/plain\r\n\r\nMessage number {i}.\r\n"
        "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename=dump-{i}.bin\r\n\r\n{blob}--b--\r\n"
    ).encode()


def _processed() -> int:
    return InboundMessage.objects.filter(state=InboundState.PROCESSED).count()


def _assert_nothing_half_done() -> None:
    processed = InboundMessage.objects.filter(state=InboundState.PROCESSED)
    assert Ticket.objects.count() == processed.count()
    assert set(Ticket.objects.values_list("pk", flat=True)) == set(
        processed.values_list("ticket_id", flat=True)
    )
    assert Attachment.objects.count() == processed.count()
    assert not InboundMessage.objects.filter(state=InboundState.QUARANTINED).exists()


def _run_again() -> None:
    """A fresh worker drains the queue; whatever the kill caught mid-task (its task was
    taken off the queue) is what `rapport mail replay --stuck` and the periodic sweeper
    pick up."""
    worker = _worker()
    try:
        _wait(lambda: HUEY.pending_count() == 0, "the queue to drain")
        replay = subprocess.run(
            [sys.executable, "-m", "rapport.cli", "mail", "replay", "--stuck"],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert replay.returncode == 0, replay.stderr
        _wait(lambda: _processed() == BATCH, "every message")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    _assert_nothing_half_done()
    subjects = sorted(Ticket.objects.values_list("subject", flat=True))
    assert subjects == sorted(f"Crash test {i}" for i in range(BATCH))


def _kill_when(condition: Callable[[], bool]) -> int:
    worker = _worker()
    try:
        _wait(condition, "the first messages")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    return _processed()


def test_sigkill_mid_batch_loses_nothing() -> None:
    support_mailbox(build_world())
    HUEY.flush()  # a queue of our own: only this batch's tasks
    for i in range(BATCH):
        pipeline.receive(_message(i), transport="smtp", recipients=[SUPPORT])  # queues a task
    assert HUEY.pending_count() == BATCH

    done_at_kill = _kill_when(lambda: _processed() >= 3)
    assert 3 <= done_at_kill < BATCH, "the kill must land mid-batch"
    assert InboundMessage.objects.count() == BATCH
    _assert_nothing_half_done()
    _run_again()


def test_sigkill_mid_way_through_batches_leaves_whole_batches() -> None:
    """Mail received by the batch (as the listener and the poller hand it over) is
    placed by the batch, in one transaction: a kill leaves each batch all or nothing."""
    support_mailbox(build_world())
    HUEY.flush()
    size = 5
    for start in range(0, BATCH, size):
        pipeline.receive_many(
            [
                pipeline.Delivery(_message(i), "smtp", recipients=[SUPPORT])
                for i in range(start, start + size)
            ]
        )  # queues one task for the batch
    assert HUEY.pending_count() == BATCH // size

    done_at_kill = _kill_when(lambda: _processed() >= size)
    assert size <= done_at_kill < BATCH, "the kill must land mid-way"
    assert done_at_kill % size == 0, "a batch was left half placed"
    assert InboundMessage.objects.count() == BATCH
    _assert_nothing_half_done()
    _run_again()
