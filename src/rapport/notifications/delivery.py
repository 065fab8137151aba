"""How a notification leaves the system besides the in-app list.

Channels sit above this app (mail builds on tickets, SLA and more), so they register
a function here when Django starts (`MailConfig.ready`) instead of this app importing
them. With no channel registered a notification is in-app only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.directory.models import Person
    from rapport.tickets.models import Ticket

# (recipient, kind, ticket, text) -> None; called inside the notifying transaction, so a
# channel schedules its sending on commit rather than sending at once.
Deliver = Callable[["Person", str, "Ticket | None", str], None]

_channels: dict[str, Deliver] = {}


def register(name: str, deliver: Deliver) -> None:
    """Add (or replace, by name: `ready()` can run twice in tests) a delivery channel."""
    _channels[name] = deliver


def channels() -> list[Deliver]:
    return list(_channels.values())
