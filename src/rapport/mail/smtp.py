"""The SMTP/LMTP listener an MTA delivers to (`rapport mail listen`; part of `rapport serve`).

Recipients are checked at RCPT (an unknown address is refused, so the
sender's MTA bounces it rather than us dropping it). The message is
acknowledged with 250 only after `pipeline.receive_many` stored it durably; if
that fails the answer is 451 and the MTA tries again later.

Deliveries arriving while the database thread is busy storing others are
stored together as the next batch (a group commit): one sync of the files and
one transaction for all of them, and a lone delivery waits for nobody.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from rapport.mail import pipeline, routing

logger = logging.getLogger(__name__)


class DeliveryHandler:
    def __init__(self, *, enqueue: bool = True) -> None:
        self.enqueue = enqueue
        # One thread talks to the database, so the listener holds one connection.
        self._db = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._lock = threading.Lock()
        self._waiting: list[tuple[pipeline.Delivery, asyncio.Future[Any]]] = []

    async def _run(self, func: Any, *args: Any) -> Any:
        def call() -> Any:
            close_old_connections()
            return func(*args)

        return await asyncio.get_running_loop().run_in_executor(self._db, call)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        try:
            mailbox = await self._run(routing.mailbox_for, [address])
        except Exception:
            logger.exception("looking up the recipient %s failed", address)
            return "451 4.3.0 Temporary failure; try again later"
        if mailbox is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        if not isinstance(content, bytes):
            content = str(content).encode("utf-8", "surrogateescape")
        delivery = pipeline.Delivery(
            content,
            transport="smtp",
            # SMTP always names a sender: an empty one is the null reverse-path `<>`
            # of bounces and other notices.
            envelope_from=envelope.mail_from or "<>",
            recipients=list(envelope.rcpt_tos),
        )
        stored = asyncio.get_running_loop().create_future()
        with self._lock:
            self._waiting.append((delivery, stored))
        try:
            # Whichever store runs next on the database thread takes this delivery
            # with every other one waiting by then.
            await self._run(self._store_waiting)
            inbound = await stored
        except Exception:
            logger.exception("storing a message from %s failed", envelope.mail_from)
            failure = "451 4.3.0 Could not store the message; try again later"
            if isinstance(server, LMTP):
                return "\r\n".join([failure] * len(envelope.rcpt_tos))
            return failure
        status = f"250 2.0.0 Stored as {inbound.pk}"
        if isinstance(server, LMTP):
            # LMTP answers DATA once per accepted recipient (RFC 2033 §4.2).
            return "\r\n".join([status] * len(envelope.rcpt_tos))
        return status

    def _store_waiting(self) -> None:
        with self._lock:
            batch, self._waiting = self._waiting, []
        if not batch:
            return  # an earlier call took them
        try:
            results = pipeline.receive_many([d for d, _ in batch], enqueue=self.enqueue)
            settled: list[tuple[Any, Exception | None]] = [(r, None) for r in results]
        except Exception as exc:
            if len(batch) == 1:
                settled = [(None, exc)]
            else:
                # One delivery that cannot be stored must not fail the others with it.
                settled = [self._store_one(delivery) for delivery, _ in batch]
        for (_, waiter), (result, error) in zip(batch, settled, strict=True):
            waiter.get_loop().call_soon_threadsafe(_settle, waiter, result, error)

    def _store_one(self, delivery: pipeline.Delivery) -> tuple[Any, Exception | None]:
        try:
            return pipeline.receive_many([delivery], enqueue=self.enqueue)[0], None
        except Exception as exc:
            return None, exc

    def close(self) -> None:
        # The database thread's connection goes with it (left open, it would keep
        # the database from being dropped, e.g. by the tests).
        self._db.submit(connections.close_all).result()
        self._db.shutdown(wait=True)


def _settle(waiter: asyncio.Future[Any], result: Any, error: Exception | None) -> None:
    if waiter.done():  # the client hung up meanwhile
        return
    if error is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(result)


class Listener(Controller):
    """aiosmtpd's threaded controller, speaking LMTP instead of SMTP when asked."""

    def __init__(self, handler: DeliveryHandler, *, lmtp: bool = False, **kwargs: Any) -> None:
        self.lmtp = lmtp
        super().__init__(
            handler,
            data_size_limit=settings.RAPPORT_MAIL_MAX_BYTES,
            server_hostname=settings.RAPPORT_MAIL_HOSTNAME,
            **kwargs,
        )

    def factory(self) -> SMTP:
        base = LMTP if self.lmtp else SMTP
        # RFC 5321 caps a line at 998 octets, but real mail systems send longer ones
        # (HTML on one line, long base64): accepted up to RAPPORT_MAIL_MAX_LINE and
        # stored byte for byte. aiosmtpd sizes its stream reader from the class
        # attribute when the server is made, so the limit is set on a subclass.
        server_class = type(
            base.__name__, (base,), {"line_length_limit": settings.RAPPORT_MAIL_MAX_LINE}
        )
        server: SMTP = server_class(self.handler, **self.SMTP_kwargs)
        return server
