"""The only writers of tickets. Each function is one use case: it checks the actor's
permission, writes in one transaction, and appends events (`rapport.tickets.events`).
What other apps do about those events they do in their own reactions.

`actor=None` means the system itself (CLI, demo, background jobs).

Split by use case: `create` (raising a ticket), `conversation` (replies, notes,
uploads), `fields` (assignee, status, priority, agreement, subject, tags), `merge`,
`reactions` (an admin's retry of a failed reaction). The public names are here.
"""

from __future__ import annotations

from rapport.tickets.actions.common import (
    MAX_BODY,
    MAX_SUBJECT,
    SYSTEM,
    clean_tag,
    default_status,
    initial_status,
)
from rapport.tickets.actions.conversation import add_note, reply, upload
from rapport.tickets.actions.create import (
    Opened,
    create_ticket,
    default_client_party,
    open_ticket,
)
from rapport.tickets.actions.fields import (
    assign,
    reopen,
    set_agreement,
    set_priority,
    set_status,
    set_subject,
    tag,
    untag,
)
from rapport.tickets.actions.merge import merge
from rapport.tickets.actions.reactions import retry_reaction
from rapport.tickets.actions.statuses import create_status, update_status

__all__ = [
    "MAX_BODY",
    "MAX_SUBJECT",
    "SYSTEM",
    "Opened",
    "add_note",
    "assign",
    "clean_tag",
    "create_status",
    "create_ticket",
    "default_client_party",
    "default_status",
    "initial_status",
    "merge",
    "open_ticket",
    "reopen",
    "reply",
    "retry_reaction",
    "set_agreement",
    "set_priority",
    "set_status",
    "set_subject",
    "tag",
    "untag",
    "update_status",
    "upload",
]
