"""With fast paths off (RAPPORT_FAST_PATHS=0), the same calls give the same answers
through Django's public API alone: nothing compiled and kept, nothing cached beyond
the request or task."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from rapport.core import clock
from rapport.core.fast import reference, rows
from rapport.core.fast.prepared import Prepared
from rapport.directory import queries as directory_queries
from rapport.directory.models import Party, PartyKind
from rapport.testing import World
from rapport.tickets.models import Event, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def off(settings: Any) -> None:
    settings.RAPPORT_FAST_PATHS = False


@Prepared
def _tickets_of(key: None, *, requester: int) -> QuerySet[Ticket]:
    return Ticket.objects.filter(requester_id=requester).select_related("status").order_by("id")


def test_a_prepared_query_answers_as_its_queryset_and_keeps_nothing(
    world: World, off: None
) -> None:
    world.ticket("contact")
    world.ticket("contact")
    found = _tickets_of(None, requester=world.contact.pk)
    expected = list(Ticket.objects.filter(requester=world.contact).order_by("id"))
    assert [t.pk for t in found] == [t.pk for t in expected]
    assert found[0].status.name == expected[0].status.name
    kept: dict[Any, Any] = getattr(connection, "_rapport_prepared", {})
    assert _tickets_of not in kept


def test_rows_are_inserted_and_updated_by_the_orm(world: World, off: None) -> None:
    ticket = world.ticket("contact")
    party = Party(kind=PartyKind.CUSTOMER, name="Hooli")
    rows.insert([party])
    assert party.pk is not None and not party._state.adding
    party.name = "Initrode"
    party.kind = PartyKind.TEAM  # changed in memory, not named: stays as stored
    rows.update(party, ["name"])
    stored = Party.objects.get(pk=party.pk)
    assert (stored.name, stored.kind) == ("Initrode", PartyKind.CUSTOMER)
    before = Ticket.objects.get(pk=ticket.pk).message_count
    ticket.subject = "Renamed"
    rows.update(ticket, ["subject"], add={"message_count": 2})
    stored_ticket = Ticket.objects.get(pk=ticket.pk)
    assert (stored_ticket.subject, stored_ticket.message_count) == ("Renamed", before + 2)
    events = [
        Event(ticket=ticket, kind="note", data={"n": i}, created_at=clock.now()) for i in range(3)
    ]
    rows.insert(events)
    assert Event.objects.filter(ticket=ticket, kind="note").count() == 3


def test_reference_data_is_read_once_per_scope_and_again_in_the_next(
    world: World, off: None
) -> None:
    party_id = world.support.party_id
    reference.clear()
    for _ in range(2):
        with reference.scope(), CaptureQueriesContext(connection) as queries:
            first = directory_queries.party(party_id)
            again = directory_queries.party(party_id)
        assert first is again
        # The party's row alone: no stamp is read, and no process copy is kept.
        assert len(queries) == 1
