"""The only writers of core's own tables (the worker's heartbeat)."""

from __future__ import annotations

from rapport.core import clock
from rapport.core.models import Heartbeat


def beat(name: str) -> None:
    """Note that the background process `name` is alive (read by /healthz)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": clock.now()})
