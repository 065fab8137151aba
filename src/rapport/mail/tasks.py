"""Mail work run by the worker: processing, the sweeper that finds anything a crash
left behind, IMAP polling and sending."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from rapport.core import clock

logger = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=2)


@db_task()
def process_inbound(inbound_id: int) -> None:
    from rapport.mail import pipeline

    pipeline.process(inbound_id)


@db_task()
def process_inbound_batch(inbound_ids: list[int]) -> None:
    """A batch received together (an SMTP group commit, an IMAP fetch), placed together."""
    from rapport.mail import pipeline

    pipeline.process_many(inbound_ids)


@db_periodic_task(crontab(minute="*"))
def sweep_received() -> int:
    """Process messages still `received` a while after delivery (a worker died, a task
    was lost with a Redis restart): this is what makes a crash cost time, never mail."""
    from rapport.mail import pipeline
    from rapport.mail.models import InboundMessage, InboundState

    stuck = InboundMessage.objects.filter(
        state=InboundState.RECEIVED, received_at__lt=clock.now() - STUCK_AFTER
    ).values_list("pk", flat=True)[:500]
    ids = list(stuck)
    for start in range(0, len(ids), pipeline.BATCH):
        pipeline.process_many(ids[start : start + pipeline.BATCH])
    return len(ids)


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes() -> None:
    from rapport.mail import imap

    imap.poll_all()


@db_task(retries=5, retry_delay=60)
def send_outbound(outbound_id: int) -> None:
    from rapport.mail import outbound
    from rapport.mail.models import OutboundMessage, OutboundState

    try:
        outbound.send(outbound_id)
    except Exception as exc:
        # `send` recorded the reason on the mail (the outbox page shows it); the console
        # gets one line per try, not a traceback per mail. `send` counts the tries and
        # marks the mail failed after the last, so a retry is asked for only while queued.
        logger.warning("Mail %s not sent: %s: %s", outbound_id, type(exc).__name__, exc)
        still_queued = OutboundMessage.objects.filter(
            pk=outbound_id, state=OutboundState.QUEUED
        ).exists()
        if still_queued:
            raise RetryTask(delay=60) from None


@db_task()
def deliver_notifications() -> int:
    from rapport.mail import outbound

    return outbound.deliver_pending()


@db_periodic_task(crontab(minute="*"))
def deliver_notifications_late() -> int:
    """The outbox's safety net: rows whose wake-up was lost (a worker restart)."""
    from rapport.mail import outbound

    return outbound.deliver_pending()
