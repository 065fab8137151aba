"""End to end through a real worker: a reply written through the API is mailed, after
commit, by the worker, to a real SMTP server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from rapport.mail.models import OutboundMessage, OutboundState
from rapport.mail.testing import SmtpSink, build, deliver, support_mailbox
from rapport.testing import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    try:
        yield smtp
    finally:
        smtp.stop()


def _worker(sink: SmtpSink) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RAPPORT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_the_worker_mails_a_reply_after_commit(sink: SmtpSink) -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    world = build_world()
    mailbox = support_mailbox(world)
    ticket = deliver(build(subject="Printer on fire"), mailbox).ticket
    assert ticket is not None
    agent = world.client("agent")
    worker = _worker(sink)
    try:
        answer = agent.post_json(
            f"/api/v1/tickets/{ticket.pk}/messages", {"body": "A technician is on the way."}
        )
        assert answer.status_code == 201
        note = agent.post_json(
            f"/api/v1/tickets/{ticket.pk}/messages", {"body": "zanzibar", "internal": True}
        )
        assert note.status_code == 201
        deadline = time.monotonic() + 120
        while not [m for m in sink.messages if m["To"] == "contact@example.com"]:
            assert worker.poll() is None, "the worker died"
            assert time.monotonic() < deadline, "no mail reached the client"
            time.sleep(0.1)  # waiting for the worker to drain the outbox and send
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    to_client = [m for m in sink.messages if m["To"] == "contact@example.com"]
    assert len(to_client) == 1
    body = to_client[0].get_body(("plain",))
    assert body is not None and "A technician is on the way." in body.get_content()
    assert all("zanzibar" not in m.as_string() for m in sink.messages)
    sent = OutboundMessage.objects.get(to_address="contact@example.com")
    assert sent.state == OutboundState.SENT
