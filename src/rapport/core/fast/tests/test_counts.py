"""The desk's sidebar counts: several capped counts in one statement, with fast
paths on and off alike, and a filter that can match nothing counts 0."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.fast.counts import capped_counts
from rapport.testing import World
from rapport.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _querysets(world: World) -> list[Any]:
    return [
        Ticket.objects.all(),
        Ticket.objects.filter(requester=world.contact),
        Ticket.objects.filter(pk__in=[]),  # Django refuses to compile `IN ()`
        Ticket.objects.filter(subject="no such subject"),
    ]


def test_counts_are_capped_and_take_one_statement(world: World) -> None:
    for _ in range(3):
        world.ticket("contact")
    world.ticket("org_admin")
    with CaptureQueriesContext(connection) as ctx:
        counts = capped_counts(_querysets(world), cap=3)
    assert counts == [3, 3, 0, 0]
    assert len(ctx.captured_queries) == 1


def test_with_fast_paths_off_it_is_still_one_statement(world: World, settings: Any) -> None:
    for _ in range(3):
        world.ticket("contact")
    world.ticket("org_admin")
    settings.RAPPORT_FAST_PATHS = False
    with CaptureQueriesContext(connection) as ctx:
        assert capped_counts(_querysets(world), cap=10) == [4, 3, 0, 0]
    assert len(ctx.captured_queries) == 1
