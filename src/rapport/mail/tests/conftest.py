from __future__ import annotations

import pytest

from rapport.mail.models import Mailbox
from rapport.mail.testing import support_mailbox
from rapport.testing import World


@pytest.fixture
def mailbox(world: World) -> Mailbox:
    return support_mailbox(world)
