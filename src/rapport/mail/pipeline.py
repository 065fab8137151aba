"""The inbound pipeline, as its callers (transports, tasks, tools) use it. Nothing is lost:

(a) `receive_many` stores the raw bytes and an `InboundMessage` in state `received`
    before the transport acknowledges them (`actions/intake.py`);
(b)–(g) `process_many` parses, classifies, threads, trims quotes, stores attachments
    and sanitises, in one transaction per batch with a savepoint per message; a
    failure quarantines that message with its reason (`actions/batches.py`, which
    places each message through `actions/placing.py`).

`receive` and `process` are the same for a single message. The writes live in
`rapport.mail.actions`; this module only names them for the callers.
"""

from __future__ import annotations

from rapport.mail.actions.batches import (
    BATCH,
    BATCH_BYTES,
    process,
    process_many,
    quarantine,
    replay,
)
from rapport.mail.actions.intake import Delivery, receive, receive_many, synced_commit
from rapport.mail.queries import ticket_message_ids

__all__ = [
    "BATCH",
    "BATCH_BYTES",
    "Delivery",
    "process",
    "process_many",
    "quarantine",
    "receive",
    "receive_many",
    "replay",
    "synced_commit",
    "ticket_message_ids",
]
