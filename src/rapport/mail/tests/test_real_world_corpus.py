"""Every message of CPython's own e-mail test corpus ends as a ticket, a reply, a
classified non-ticket or a quarantined message with a reason: never a crash, never
a loss. (`make test` installs the corpus where the Python installation lacks it.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapport.mail import actions
from rapport.mail.models import InboundMessage, InboundState, Mailbox, RawMessage
from rapport.mail.testing import deliver
from rapport.testing import World


def corpus() -> list[Path]:
    import test.test_email

    folder = Path(os.path.dirname(test.test_email.__file__)) / "data"
    return sorted(folder.glob("msg_*.txt"))


def test_the_corpus_is_there() -> None:
    # Fails loudly (rather than testing nothing) if the corpus went missing.
    assert len(corpus()) >= 40


def test_every_message_finds_an_end(world: World, mailbox: Mailbox) -> None:
    # Senders of the corpus write from many domains: let them in as Globex contacts.
    actions.update_mailbox(None, mailbox, unknown_sender_organisation=world.customer)
    endings: dict[str, list[str]] = {}
    for path in corpus():
        raw = path.read_bytes()
        inbound = deliver(raw, mailbox)
        assert inbound.state != InboundState.RECEIVED, path.name
        if inbound.state == InboundState.QUARANTINED:
            assert inbound.reason, path.name
        if inbound.state == InboundState.PROCESSED:
            assert inbound.ticket_id is not None and inbound.message_id is not None
        endings.setdefault(f"{inbound.state}/{inbound.outcome}", []).append(path.name)
        stored = RawMessage.objects.get(pk=inbound.raw_id)
        assert stored.size == len(raw)
    delivered = InboundMessage.objects.count()
    print({k: len(v) for k, v in endings.items()})
    assert delivered == RawMessage.objects.count()
    # Most of the corpus is ordinary mail: it must become tickets and replies.
    processed = sum(len(v) for k, v in endings.items() if k.startswith("processed/"))
    assert processed >= len(corpus()) * 0.6, endings


@pytest.mark.parametrize("name", [p.name for p in corpus()])
def test_each_message_alone(name: str, world: World, mailbox: Mailbox) -> None:
    actions.update_mailbox(None, mailbox, unknown_sender_organisation=world.customer)
    path = next(p for p in corpus() if p.name == name)
    inbound = deliver(path.read_bytes(), mailbox)
    assert inbound.state != InboundState.RECEIVED
    if inbound.state == InboundState.QUARANTINED:
        # Only for a reason someone can act on (here: mail that names no sender at all),
        # never because the pipeline tripped over the message.
        assert inbound.reason == "route: the message names no sender (From)", inbound.reason
    if inbound.state == InboundState.PROCESSED:
        assert inbound.message is not None
        assert inbound.message.body_text.strip()
