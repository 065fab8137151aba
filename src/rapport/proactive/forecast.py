"""Breach forecast: the chance that an open clock (SLA, OLA or UC alike) breaches.

The model is a proportional-hazards survival estimate, chosen because it needs no
fitting library, explains itself in two numbers, and uses exactly the history the
clocks already keep:

1. **Baseline**: from finished clocks of similar tickets (same clock kind and
   priority, falling back to the clock kind, then to all), the fraction of its target
   each used before it was met (a breached clock "used more than 1"). The empirical
   conditional survival `S(1) / S(u)` is then the share of similar clocks that, having
   run as long as this one (fraction `u` used), went on to breach. Time left in
   business minutes enters here: `u = 1 − left / target`.
2. **Load**: the provider's queue ahead of this clock (its live clocks due earlier)
   per agent, and the assignee's open tickets, each against its own norm (median over
   the provider's agents / clocks), give a load ratio `L` (geometric mean, 0.5–4). As
   in Cox's model, `L` divides the hazard of finishing: `P = (S(1)/S(u)) ** (1 / L)`.
   A busy queue makes a breach likelier; a quiet one less likely.

The naive baseline it must beat is `P = u` (the fraction already used); the backtest
in `make bench-proactive` reports the Brier score of both.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Fewer finished clocks than this in a stratum: fall back to the broader one.
MIN_HISTORY = 30
# The probability at which the provider is warned (once per clock).
WARN_AT = 0.5
BREACHED = math.inf


@dataclass(frozen=True)
class Curve:
    """The sorted fractions of target used at completion (inf: breached)."""

    used: tuple[float, ...]

    def survival(self, u: float) -> float:
        """Share of clocks still running after using fraction `u` of their target."""
        n = len(self.used)
        return (n - bisect_right(self.used, u)) / n if n else 1.0

    def breach_given(self, u: float) -> float:
        """P(breach | still running at fraction `u`), from this history alone."""
        if u >= 1:
            return 1.0
        alive = self.survival(u)
        if alive <= 0:
            # No similar clock ever ran this long without finishing: the tail is
            # unknown, so say what the naive estimate says.
            return u
        return min(1.0, self.survival(1.0) / alive)


def curve(fractions: Iterable[float]) -> Curve:
    return Curve(tuple(sorted(fractions)))


@dataclass
class History:
    """Curves per (kind, priority), per kind, and overall."""

    strata: dict[tuple[str, int], Curve]
    kinds: dict[str, Curve]
    overall: Curve

    def for_clock(self, kind: str, priority: int) -> Curve:
        c = self.strata.get((kind, priority))
        if c is not None and len(c.used) >= MIN_HISTORY:
            return c
        k = self.kinds.get(kind)
        if k is not None and len(k.used) >= MIN_HISTORY:
            return k
        return self.overall


def history(rows: Iterable[tuple[str, int, float]]) -> History:
    """`rows`: (clock kind, priority, fraction used at completion or inf if breached)."""
    strata: dict[tuple[str, int], list[float]] = {}
    kinds: dict[str, list[float]] = {}
    everything: list[float] = []
    for kind, priority, used in rows:
        strata.setdefault((kind, priority), []).append(used)
        kinds.setdefault(kind, []).append(used)
        everything.append(used)
    return History(
        {k: curve(v) for k, v in strata.items()},
        {k: curve(v) for k, v in kinds.items()},
        curve(everything),
    )


def load_ratio(
    queue_ahead: float, queue_norm: float, assignee_open: float | None, assignee_norm: float
) -> float:
    """How much busier than usual: the queue ahead and the assignee's open tickets,
    each against its norm (+1 so an empty queue is not infinitely quiet)."""
    ratios = [(queue_ahead + 1) / (queue_norm + 1)]
    if assignee_open is not None:
        ratios.append((assignee_open + 1) / (assignee_norm + 1))
    mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    return min(4.0, max(0.5, mean))


def probability(c: Curve, used_fraction: float, load: float = 1.0) -> float:
    """P(breach) of a clock that has used `used_fraction` of its target, under `load`.
    With no finished clock to learn from, the naive estimate (the fraction used)."""
    if not c.used:
        return min(1.0, max(0.0, used_fraction))
    base = c.breach_given(max(0.0, used_fraction))
    if base >= 1.0 or base <= 0.0:
        return base
    return base ** (1.0 / load)


def brier(predictions: Sequence[float], outcomes: Sequence[int]) -> float:
    """Brier (1950): the mean squared difference between forecast and outcome."""
    return sum((p - o) ** 2 for p, o in zip(predictions, outcomes, strict=True)) / len(outcomes)


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
