"""A priority outside the scale is a clear error naming the scale, never a crash."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid
from rapport.testing import World
from rapport.tickets import actions


def test_an_unknown_priority_is_refused_with_the_scale(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(Invalid) as refused:
        actions.set_priority(world.agent, ticket, 9)
    assert "low, normal, high, urgent" in refused.value.detail
    with pytest.raises(Invalid) as refused:
        actions.create_ticket(
            world.agent, requester=world.contact, subject="Odd", body="Odd",
            provider=world.support.party, priority=0,
        )  # fmt: skip
    assert "low, normal, high, urgent" in refused.value.detail
