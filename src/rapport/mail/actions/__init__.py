"""The only writers of the mail channel.

`mailboxes`: mailboxes and the replay of quarantined mail (admins); `intake`:
storing deliveries durably; `batches`: processing them and the quarantine;
`placing`: one message onto a ticket; `outbound`: the mail we send.
"""

from __future__ import annotations

from rapport.mail.actions.mailboxes import create_mailbox, replay, require_admin, update_mailbox

__all__ = ["create_mailbox", "replay", "require_admin", "update_mailbox"]
