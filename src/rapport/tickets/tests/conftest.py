"""Handlers for the reaction tests: one that records what it saw, one that fails on demand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from rapport.tickets import reactor
from rapport.tickets.models import Event, Ticket


@dataclass
class Recorder:
    seen: list[tuple[int, str, str]] = field(default_factory=list)  # ticket, kind, value
    flaky_seen: list[tuple[int, str, str]] = field(default_factory=list)
    failing_tickets: set[int] = field(default_factory=set)

    def record(self, event: Event, ticket: Ticket) -> None:
        self.seen.append((ticket.pk, event.kind, event.new_value or event.old_value))

    def flaky(self, event: Event, ticket: Ticket) -> None:
        if ticket.pk in self.failing_tickets:
            raise RuntimeError(f"the printer service is down for #{ticket.pk}")
        self.flaky_seen.append((ticket.pk, event.kind, event.new_value or event.old_value))


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """`test.record` sees every tag event; `test.flaky` too, failing on chosen tickets."""
    rec = Recorder()
    kinds = frozenset({"tagged", "untagged"})
    for name, handler in (("test.record", rec.record), ("test.flaky", rec.flaky)):
        monkeypatch.setitem(reactor._subscribers, name, reactor.Subscriber(name, kinds, handler))
    yield rec
