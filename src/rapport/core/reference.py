"""The reference data's old import path, kept for `tickets/actions.py` until it imports
`rapport.core.fast.reference` itself; `snapshot()` here is the ambient `current()`.
Delete this module then."""

from __future__ import annotations

from rapport.core.fast.reference import Snapshot
from rapport.core.fast.reference import current as snapshot

__all__ = ["Snapshot", "snapshot"]
