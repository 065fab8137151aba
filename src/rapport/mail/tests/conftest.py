from __future__ import annotations

import pytest

from rapport.core.testing import World
from rapport.mail.models import Mailbox
from rapport.mail.testing import support_mailbox


@pytest.fixture
def mailbox(world: World) -> Mailbox:
    return support_mailbox(world)
