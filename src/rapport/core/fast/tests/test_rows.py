"""The hot paths' own INSERT and UPDATE write the rows the ORM would have written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.choices import Priority, StatusCategory
from rapport.core.fast import rows
from rapport.directory.models import Organisation, OrgKind, Party, PartyKind
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets.models import Channel, Event, Message, SearchDocument, Ticket

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 30, 10, 15, 30, 123456, tzinfo=UTC)


def test_rows_of_one_model_go_in_one_statement_and_read_back_as_written(world: World) -> None:
    ticket = world.ticket("contact")
    events = [
        Event(ticket=ticket, actor=world.agent, created_at=WHEN, kind="note",
              data={"n": i, "text": "ünïcode ✓", "nested": [1, None]})
        for i in range(3)
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        rows.insert(events)
    assert len(queries) == 1
    assert all(e.pk is not None and not e._state.adding for e in events)
    assert len({e.pk for e in events}) == 3
    for event in events:
        stored = Event.objects.get(pk=event.pk)
        assert (stored.ticket_id, stored.actor_id) == (ticket.pk, world.agent.pk)
        assert stored.created_at == WHEN
        assert stored.data == event.data


def test_a_row_built_before_its_parent_was_saved_takes_the_parents_key(world: World) -> None:
    party = Party(kind=PartyKind.CUSTOMER, name="Hooli")
    organisation = Organisation(name="Hooli", kind=OrgKind.CUSTOMER, party=party,
                                created_at=WHEN)  # fmt: skip
    rows.insert([party])
    rows.insert([organisation])
    assert Organisation.objects.get(pk=organisation.pk).party_id == party.pk


def test_an_update_writes_the_named_fields_only(world: World) -> None:
    party = Party(kind=PartyKind.CUSTOMER, name="Hooli")
    rows.insert([party])
    party.name = "Initrode"
    party.kind = PartyKind.TEAM  # changed in memory, not named: stays as stored
    rows.update(party, ["name"])
    stored = Party.objects.get(pk=party.pk)
    assert (stored.name, stored.kind) == ("Initrode", PartyKind.CUSTOMER)


def test_an_update_adds_to_a_count_as_it_stands_in_the_database(world: World) -> None:
    ticket = world.ticket("contact")
    Ticket.objects.filter(pk=ticket.pk).update(message_count=5)  # another writer meanwhile
    ticket.updated_at = WHEN
    rows.update(ticket, ["updated_at"], add={"message_count": 1})
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.message_count, stored.updated_at) == (6, WHEN)


def test_the_values_of_a_new_tickets_rows_are_the_ones_the_orm_prepares(world: World) -> None:
    stored = world.ticket("contact")
    built = Ticket(
        subject="Fresh", requester=world.contact, client_party=world.customer.party,
        provider_party=world.support.party, priority=Priority.HIGH, status=stored.status,
        status_category=StatusCategory.OPEN, channel=Channel.API, message_count=1,
        created_at=WHEN, updated_at=WHEN,
    )  # fmt: skip
    objects = [
        built, stored, *Message.objects.filter(ticket=stored),
        *Event.objects.filter(ticket=stored), *TicketClock.objects.filter(ticket=stored),
        SearchDocument.objects.get(ticket=stored),
    ]  # fmt: skip
    assert len(objects) > 6
    for obj in objects:
        fields, _ = rows._insert_fields(type(obj))
        expected = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        written = rows._row(obj, connection)
        # PostgreSQL's JSON parameters are wrappers that compare by identity.
        assert [getattr(v, "obj", v) for v in written] == [getattr(v, "obj", v) for v in expected]
        assert [type(v) for v in written] == [type(v) for v in expected], type(obj).__name__
