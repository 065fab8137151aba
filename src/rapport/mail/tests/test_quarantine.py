"""Step 3: a failure anywhere after receipt quarantines the message with its reason,
leaves nothing half-written, and a replay after the fix places it."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from rapport.directory.models import Person
from rapport.mail import actions, pipeline
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.testing import SUPPORT, build, deliver
from rapport.testing import World
from rapport.tickets.models import Attachment, Ticket


def with_attachment(sender: str = "Nina <nina@globex.example>") -> bytes:
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nLog attached.\r\n"
        "--b\r\nContent-Type: text/plain; name=log.txt\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=log.txt\r\n\r\n"
        + base64.b64encode(b"error 42\n").decode()
        + "\r\n--b--\r\n"
    )
    head = (
        f"From: {sender}\r\nTo: {SUPPORT}\r\nSubject: VPN down\r\nMessage-ID: <att@globex>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    )
    return (head + body).encode()


@pytest.fixture
def broken_storage() -> Path:
    """Attachments cannot be written: a file sits where their folder must go."""
    blocker = Path(settings.MEDIA_ROOT) / "attachments"
    blocker.write_text("not a folder")
    return blocker


def test_a_failure_in_a_late_step_leaves_nothing_half_done(
    mailbox: Mailbox, broken_storage: Path
) -> None:
    inbound = deliver(with_attachment(), mailbox)
    assert inbound.state == InboundState.QUARANTINED
    assert inbound.reason.startswith("attachments: unexpected ")
    assert inbound.attempts == 1
    # The new contact made in an earlier step went with the rest.
    assert not Person.objects.filter(email="nina@globex.example").exists()
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_replay_after_the_fix_places_the_message(mailbox: Mailbox, broken_storage: Path) -> None:
    inbound = deliver(with_attachment(), mailbox)
    broken_storage.unlink()
    replayed = actions.replay(None, inbound)
    assert replayed.state == InboundState.PROCESSED
    assert replayed.outcome == Outcome.TICKET
    assert replayed.attempts == 2
    assert replayed.reason == ""
    assert Attachment.objects.get().file.read() == b"error 42\n"


def test_replay_command_reprocesses_every_quarantined_message(
    world: World, mailbox: Mailbox
) -> None:
    strangers = [deliver(build(sender=f"s{i}@new.example"), mailbox) for i in range(3)]
    assert {s.state for s in strangers} == {InboundState.QUARANTINED}
    actions.update_mailbox(None, mailbox, unknown_sender_organisation=world.customer)
    out = io.StringIO()
    call_command("mail", "replay", stdout=out, stderr=io.StringIO())
    assert "Replayed 3 message(s): 3 processed" in out.getvalue()
    assert Ticket.objects.count() == 3


def test_replay_refuses_what_is_not_quarantined(mailbox: Mailbox) -> None:
    inbound = deliver(build(), mailbox)
    from rapport.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.replay(None, inbound)


def test_only_admins_replay(world: World, mailbox: Mailbox) -> None:
    inbound = deliver(build(sender="x@new.example"), mailbox)
    from rapport.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.replay(world.agent, inbound)
    assert actions.replay(world.admin, inbound).state == InboundState.QUARANTINED


def test_a_message_left_received_by_a_crash_is_swept_up(mailbox: Mailbox) -> None:
    from datetime import timedelta

    from rapport.core import clock
    from rapport.mail.tasks import sweep_received

    inbound = pipeline.receive(build(), transport="smtp", mailbox=mailbox, enqueue=False)
    assert sweep_received.call_local() == 0  # just delivered: its task may still be queued
    with clock.travel_to(clock.now() + timedelta(minutes=5)):
        assert sweep_received.call_local() == 1
    assert InboundMessage.objects.get(pk=inbound.pk).state == InboundState.PROCESSED


def test_ingest_command_reads_a_file(tmp_path: Path, mailbox: Mailbox) -> None:
    path = tmp_path / "one.eml"
    path.write_bytes(build(subject="From a file"))
    out = io.StringIO()
    call_command("mail", "ingest", str(path), "--mailbox", SUPPORT, stdout=out)
    assert "processed ticket #" in out.getvalue()
    assert Ticket.objects.get().subject == "From a file"
