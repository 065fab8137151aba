from __future__ import annotations

import pytest

from rapport.surveys import actions
from rapport.testing import World


@pytest.fixture
def surveyed(world: World) -> World:
    """Globex's SLA asks all three questions, five minutes after the solve."""
    actions.configure(None, world.sla, csat=True, ces=True, nps=True, delay_minutes=5)
    return world
