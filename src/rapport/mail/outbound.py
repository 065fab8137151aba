"""Outbound mail, as the rest of the product calls it.

`after_message` is the hook for each new ticket message, `queue_mail` the general
sender, `mail_notification` the e-mail leg of an in-app notice. The writes live in
`rapport.mail.actions.outbound`; these names stay for the callers.
"""

from __future__ import annotations

from rapport.mail.actions.outbound import (
    MAX_ATTEMPTS,
    SCHEDULED_KINDS,
    after_message,
    deliver_pending,
    mail_notification,
    muted,
    notify_message,
    queue_mail,
    recipients_of,
    send,
)

__all__ = [
    "MAX_ATTEMPTS",
    "SCHEDULED_KINDS",
    "after_message",
    "deliver_pending",
    "mail_notification",
    "muted",
    "notify_message",
    "queue_mail",
    "recipients_of",
    "send",
]
