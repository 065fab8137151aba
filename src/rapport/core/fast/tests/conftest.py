"""These tests are of the fast paths themselves: they run with fast paths on even in
the leg of the suite that turns them off (`test_off_switch.py` covers off)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_paths_on(settings: Any) -> None:
    settings.RAPPORT_FAST_PATHS = True
