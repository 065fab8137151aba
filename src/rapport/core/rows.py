"""The single-row writes' old import path, kept for `tickets/actions.py` until it
imports `rapport.core.fast.rows` itself. Delete this module then."""

from __future__ import annotations

from rapport.core.fast.rows import insert, update

__all__ = ["insert", "update"]
