"""The IMAP poller: fetch new mail, store it (step a), then mark or move it.

Mail is fetched with BODY.PEEK[] so nothing is marked read before it is
stored; each message is marked (\\Seen) or moved to the processed folder only
after `receive` committed it. A crash in between fetches it again next time,
and the content hash makes that second copy the same delivery.
"""

from __future__ import annotations

import logging

from imapclient import IMAPClient

from rapport.mail import crypto, pipeline
from rapport.mail.models import Mailbox

logger = logging.getLogger(__name__)
BATCH = 25


def poll_all() -> dict[str, int]:
    """Poll every active mailbox with IMAP settings; how many messages each stored."""
    stored: dict[str, int] = {}
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(imap_host=""):
        try:
            stored[mailbox.address] = poll(mailbox)
        except Exception:
            # One broken mailbox (wrong password, server down) must not stop the others.
            logger.exception("polling %s failed", mailbox.address)
            stored[mailbox.address] = 0
    return stored


def poll(mailbox: Mailbox, *, limit: int = 500) -> int:
    password = crypto.decrypt(mailbox.imap_password_encrypted)
    count = 0
    with IMAPClient(
        mailbox.imap_host, port=mailbox.imap_port, ssl=mailbox.imap_tls, timeout=30
    ) as client:
        client.login(mailbox.imap_username, password)
        folder = mailbox.imap_folder or "INBOX"
        target = mailbox.imap_processed_folder
        if target and not client.folder_exists(target):
            client.create_folder(target)
        client.select_folder(folder)
        # Moved mail leaves the folder, so everything left is new; otherwise \Seen marks it.
        uids = client.search(["NOT", "DELETED"] if target else ["UNSEEN"])[:limit]
        can_move = client.has_capability("MOVE")
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            # expunged by someone else meanwhile: no body
            found = [uid for uid in chunk if fetched.get(uid, {}).get(b"BODY[]") is not None]
            if not found:
                continue
            # The chunk is stored as one batch (synced together, one transaction) and
            # marked only once that committed.
            pipeline.receive_many(
                [
                    pipeline.Delivery(fetched[uid][b"BODY[]"], "imap", mailbox=mailbox)
                    for uid in found
                ]
            )
            count += len(found)
            if target:
                if can_move:
                    client.move(found, target)
                else:
                    client.copy(found, target)
                    client.delete_messages(found)
                    client.expunge(found)
            else:
                client.add_flags(found, [b"\\Seen"])
    return count
