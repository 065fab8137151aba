"""Sampling keeps its share per provider, reproducibly, and decides a replay alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.improvement import actions, sampling
from rapport.improvement.models import Review, Sighting, Trigger
from rapport.testing import World

pytestmark = pytest.mark.django_db


def test_share_within_five_percent_over_a_thousand_events(world: World) -> None:
    actions.set_rule(world.admin, Trigger.BREACH, enabled=True, share=20, seed=42)
    providers = [world.support.party, world.it.party, world.vendor.party]
    for i in range(1000):
        actions.open_review(Trigger.BREACH, f"test:{i}", provider=providers[i % 3])
    opened = Review.objects.count()
    assert 0.95 * 200 <= opened <= 1.05 * 200, opened
    # Stratified: every provider gets its share of its own events (333 or 334 each).
    for party in providers:
        n = Review.objects.filter(provider=party).count()
        assert 0.95 * 0.2 * 333 <= n <= 1.05 * 0.2 * 334, (party.name, n)
    # A replay finds the first decision: no new review, no new sighting.
    for i in range(1000):
        actions.open_review(Trigger.BREACH, f"test:{i}", provider=providers[i % 3])
    assert Review.objects.count() == opened
    assert Sighting.objects.count() == 1000


def test_every_event_when_the_share_is_whole(world: World) -> None:
    for i in range(20):
        actions.open_review(Trigger.BREACH, f"all:{i}", provider=world.support.party)
    assert Review.objects.count() == 20
    assert not Sighting.objects.exists()


def _choices(seed: int, share: int, n: int = 200) -> list[bool]:
    u = sampling.start(seed, "breach", 7)
    return [sampling.taken(i, share, u) for i in range(1, n + 1)]


def test_same_seed_same_choices_other_seed_other_choices() -> None:
    assert _choices(1, 20) == _choices(1, 20)
    # At 20 % a stratum takes one event in five; the seed picks which (five phases).
    assert len({tuple(_choices(seed, 20)) for seed in range(20)}) == 5


@given(st.integers(0, 2**31 - 1), st.integers(1, 100), st.integers(1, 2000))
def test_any_prefix_takes_its_share_to_within_one(seed: int, share: int, n: int) -> None:
    taken = sum(_choices(seed, share, n))
    assert abs(taken - n * share / 100) <= 1
