"""Which triggering events a sampled trigger takes: stratified systematic sampling.

Each stratum (trigger × provider) counts its events; the n-th is taken when
floor(n·s + u) passes an integer, s being the share and u a start in [0, 1) drawn
from the seed and the stratum. Every provider then gets its share to within one event
(a coin per event drifts by √n), and the same seed replays the same choices.
"""

from __future__ import annotations

import hashlib
import math


def start(seed: int, trigger: str, provider_id: int) -> float:
    digest = hashlib.sha256(f"{seed}:{trigger}:{provider_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def taken(position: int, share: int, u: float) -> bool:
    """Whether the `position`-th event (from 1) of a stratum is taken at `share` percent."""
    if share >= 100:
        return True
    if share <= 0:
        return False
    s = share / 100
    return math.floor(position * s + u) > math.floor((position - 1) * s + u)
