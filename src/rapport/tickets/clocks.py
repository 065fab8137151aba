"""The SLA clocks hook: how ticket actions keep a ticket's clocks in step with it.

Clocks are part of a ticket's state, not a reaction to it: the due times go into the
ticket's own INSERT (the create API returns them) and every status, priority,
agreement or reply change moves them in the same transaction. So they cannot wait
for the reaction worker. Yet `tickets` sits below `sla` and must not import it: the
`sla` app registers its keeper here in its AppConfig.ready (dependency inversion),
and tickets calls whatever keeper is registered (none: tickets without clocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from django.db import models

from rapport.agreements.models import Agreement
from rapport.core.fast.reference import Snapshot
from rapport.directory.models import Person
from rapport.tickets.models import Event, Ticket


class ClockKeeper(Protocol):
    def start(
        self,
        ticket: Ticket,
        actor: Person | None,
        agreement: Agreement | None,
        priority: int,
        ref: Snapshot | None,
        now: datetime,
    ) -> tuple[Sequence[models.Model], Sequence[Event]]:
        """A new ticket's clocks and their events, before the ticket is written: sets
        the ticket's due columns; the caller writes clocks and events."""
        ...

    def on_public_reply(self, ticket: Ticket, actor: Person | None, side: str) -> None: ...

    def on_status_changed(
        self, ticket: Ticket, actor: Person | None, old_category: str, new_category: str
    ) -> None: ...

    def on_terms_changed(self, ticket: Ticket, actor: Person | None, reason: str) -> None: ...

    def on_merged(self, source: Ticket, actor: Person | None) -> None: ...


class NoClocks:
    """The keeper until one registers: tickets have no clocks."""

    def start(
        self,
        ticket: Ticket,
        actor: Person | None,
        agreement: Agreement | None,
        priority: int,
        ref: Snapshot | None,
        now: datetime,
    ) -> tuple[Sequence[models.Model], Sequence[Event]]:
        return (), ()

    def on_public_reply(self, ticket: Ticket, actor: Person | None, side: str) -> None:
        return None

    def on_status_changed(
        self, ticket: Ticket, actor: Person | None, old_category: str, new_category: str
    ) -> None:
        return None

    def on_terms_changed(self, ticket: Ticket, actor: Person | None, reason: str) -> None:
        return None

    def on_merged(self, source: Ticket, actor: Person | None) -> None:
        return None


_keeper: list[ClockKeeper] = [NoClocks()]


def register(keeper: ClockKeeper) -> None:
    """Called once by the sla app at start-up."""
    _keeper[0] = keeper


def keeper() -> ClockKeeper:
    return _keeper[0]
