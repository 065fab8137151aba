"""The sentiment hook: how a client's message gets its score before it is written.

A message's sentiment (−1…+1, None = not scored) is part of the row, not a reaction
to it: rules that read it (the automation app's triggers) run on the `created` and
`reply` events, so the value must be in the message's own INSERT. Yet `tickets` sits
below the app that scores (proactive) and must not import it: that app registers its
scorer here in its AppConfig.ready (dependency inversion, as `rapport.tickets.clocks`),
and the ticket actions call whatever scorer is registered (none: messages unscored).
"""

from __future__ import annotations

from collections.abc import Callable

Scorer = Callable[[str], float | None]


def _unscored(text: str) -> float | None:
    return None


_scorer: list[Scorer] = [_unscored]


def register(scorer: Scorer) -> None:
    """Called once by the scoring app at start-up."""
    _scorer[0] = scorer


def score(text: str) -> float | None:
    """The registered scorer's value for a client's message text."""
    return _scorer[0](text)
