"""The only writers of the SLA engine: a ticket's clocks, and an agreement's SLA settings.

Ticket actions call the clock transitions by these names (`start_new_ticket`,
`on_public_reply`, `on_status_changed`, `on_terms_changed`, `on_merged`, and the
read `terms_of`); the sweeper's claim statements live in `rapport.sla.sweeper`.
"""

from __future__ import annotations

from rapport.sla.actions.clocks import (
    on_merged,
    on_public_reply,
    on_status_changed,
    on_terms_changed,
    start_new_ticket,
    sync_ticket,
)
from rapport.sla.actions.settings import (
    recompute_agreement,
    schedule_recompute,
    set_sla_settings,
)
from rapport.sla.clocks import Terms, terms_for, terms_of

__all__ = [
    "Terms",
    "on_merged",
    "on_public_reply",
    "on_status_changed",
    "on_terms_changed",
    "recompute_agreement",
    "schedule_recompute",
    "set_sla_settings",
    "start_new_ticket",
    "sync_ticket",
    "terms_for",
    "terms_of",
]
