"""The only code of the proactive app that writes (see DESIGN.md, "Actions")."""

from __future__ import annotations

from rapport.proactive.actions.forecasts import refresh_forecasts
from rapport.proactive.actions.mood import refresh_mood
from rapport.proactive.actions.outreach import preview, send_outreach
from rapport.proactive.actions.risks import OUTREACH_EVERY, complete_task, snapshot_risks

__all__ = [
    "OUTREACH_EVERY",
    "complete_task",
    "preview",
    "refresh_forecasts",
    "refresh_mood",
    "send_outreach",
    "snapshot_risks",
]
