from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY

from rapport.core.testing import World
from rapport.mail.models import Mailbox
from rapport.mail.testing import support_mailbox


@pytest.fixture
def mailbox(world: World) -> Mailbox:
    return support_mailbox(world)


@pytest.fixture
def huey_immediate() -> Iterator[None]:
    """Run queued tasks on the spot (Huey's own immediate mode, in memory)."""
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = False
