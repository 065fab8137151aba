"""How the scorecards show a figure to a reader."""

from __future__ import annotations


def hours_and_minutes(minutes: float | None) -> str | None:
    """Business minutes as a reader counts them: 45m, 2h 05m, 41h 30m (no days: a
    business day is not 24 hours)."""
    if minutes is None:
        return None
    hours, mins = divmod(round(abs(minutes)), 60)
    sign = "−" if minutes < 0 and (hours or mins) else ""
    return f"{sign}{hours}h {mins:02d}m" if hours else f"{sign}{mins}m"
