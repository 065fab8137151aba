"""The IMAP poller against a real Dovecot: fetch, store, then mark or move; a message
fetched twice is still one delivery; a broken mailbox does not stop the others."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from imapclient import IMAPClient

from rapport.mail import actions, imap, pipeline
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.testing import SUPPORT, build
from rapport.mail.tests.dovecot import Dovecot, dovecot
from rapport.testing import World
from rapport.tickets.models import Ticket

PASSWORD = "imap-Secret-42"


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    with dovecot(SUPPORT, PASSWORD) as running:
        yield running


@pytest.fixture
def imap_client(server: Dovecot) -> Iterator[IMAPClient]:
    with IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=10) as client:
        client.login(server.user, server.password)
        for folder in ("INBOX", "Processed"):
            if client.folder_exists(folder):
                client.select_folder(folder)
                client.delete_messages(client.search(["ALL"]))
                client.expunge()
        yield client


def imap_mailbox(world: World, server: Dovecot, **fields: object) -> Mailbox:
    return actions.create_mailbox(
        None, address=SUPPORT, provider=world.support.party, imap_host="127.0.0.1",
        imap_port=server.port, imap_tls=False, imap_username=SUPPORT, imap_password=PASSWORD,
        **fields,
    )  # fmt: skip


def test_password_is_stored_encrypted(world: World, server: Dovecot) -> None:
    from rapport.mail import crypto

    mailbox = imap_mailbox(world, server)
    assert PASSWORD not in mailbox.imap_password_encrypted
    assert crypto.decrypt(mailbox.imap_password_encrypted) == PASSWORD


def test_poll_stores_then_marks_seen(
    world: World, server: Dovecot, imap_client: IMAPClient
) -> None:
    mailbox = imap_mailbox(world, server)
    for n in range(3):
        imap_client.append("INBOX", build(subject=f"By IMAP {n}"))
    assert imap.poll(mailbox) == 3
    inbound = list(InboundMessage.objects.order_by("id"))
    assert [i.transport for i in inbound] == ["imap"] * 3
    imap_client.select_folder("INBOX")
    assert imap_client.search(["UNSEEN"]) == []
    assert imap.poll(mailbox) == 0  # nothing new
    for item in inbound:
        assert pipeline.process(item.pk).outcome == Outcome.TICKET
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "By IMAP 0", "By IMAP 1", "By IMAP 2",
    ]  # fmt: skip


def test_poll_moves_to_the_processed_folder(
    world: World, server: Dovecot, imap_client: IMAPClient
) -> None:
    mailbox = imap_mailbox(world, server, imap_processed_folder="Processed")
    imap_client.append("INBOX", build(subject="Move me"))
    assert imap.poll(mailbox) == 1
    imap_client.select_folder("INBOX")
    assert imap_client.search(["ALL"]) == []
    imap_client.select_folder("Processed")
    assert len(imap_client.search(["ALL"])) == 1


def test_mail_fetched_again_after_a_crash_is_one_delivery(
    world: World, server: Dovecot, imap_client: IMAPClient
) -> None:
    mailbox = imap_mailbox(world, server)
    imap_client.append("INBOX", build(subject="Only once"))
    assert imap.poll(mailbox) == 1
    # As if the poller died after storing but before marking the message.
    imap_client.select_folder("INBOX")
    imap_client.remove_flags(imap_client.search(["ALL"]), [b"\\Seen"])
    assert imap.poll(mailbox) == 1
    assert InboundMessage.objects.count() == 1
    pipeline.process(InboundMessage.objects.get().pk)
    assert Ticket.objects.count() == 1


def test_a_wrong_password_does_not_stop_the_poll(
    world: World, server: Dovecot, imap_client: IMAPClient
) -> None:
    good = imap_mailbox(world, server)
    actions.create_mailbox(
        None, address="billing@rapport.test", provider=world.support.party,
        imap_host="127.0.0.1", imap_port=server.port, imap_tls=False,
        imap_username=SUPPORT, imap_password="wrong",
    )  # fmt: skip
    imap_client.append("INBOX", build(subject="Still arrives"))
    from rapport.mail.tasks import poll_mailboxes

    poll_mailboxes.call_local()  # what the worker runs each minute
    assert InboundMessage.objects.get().mailbox == good
    assert InboundMessage.objects.get().state == InboundState.RECEIVED
