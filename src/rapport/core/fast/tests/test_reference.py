"""The process's copies of reference data are never stale: whoever changes a status,
an agreement, its targets or calendar, a mailbox or a party — an action, the admin, a raw
UPDATE from another process — the next ticket or mail sees the change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement, AgreementTarget
from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.core.fast import reference
from rapport.core.models import ReferenceStamp
from rapport.directory import actions as directory
from rapport.directory import queries as directory_queries
from rapport.directory.models import Party
from rapport.mail import actions as mail_actions
from rapport.mail.models import Outcome
from rapport.mail.testing import build, deliver, support_mailbox
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets.models import Event, Status


def _agreement_name(ticket_pk: int) -> str:
    return Event.objects.get(ticket_id=ticket_pk, kind="agreement").new_value


def test_a_renamed_agreement_names_the_next_ticket(world: World) -> None:
    first = world.ticket("contact")
    assert _agreement_name(first.pk) == "Globex support"
    agreement_actions.update_agreement(None, world.sla, name="Globex premium")
    second = world.ticket("contact")
    assert _agreement_name(second.pk) == "Globex premium"


def test_targets_changed_by_another_writer_apply_to_the_next_ticket(world: World) -> None:
    world.ticket("contact")  # the copy is loaded
    # As the admin site or another process would: not through our actions.
    AgreementTarget.objects.filter(agreement=world.sla).update(first_response_minutes=7)
    ticket = world.ticket("contact")
    clock_row = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert clock_row.target_minutes == 7


def test_an_agreement_ended_by_raw_sql_stops_matching(world: World) -> None:
    world.ticket("contact")
    yesterday = clock.now().date() - timedelta(days=1)
    with connection.cursor() as cursor:  # a writer that bypasses Django altogether
        cursor.execute(
            "UPDATE agreements_agreement SET active_until = %s WHERE id = %s",
            [yesterday, world.sla.pk],
        )
    with pytest.raises(Invalid, match="does not provide service"):
        world.ticket("contact")


def test_a_new_first_open_status_is_the_next_tickets_status(world: World) -> None:
    assert world.ticket("contact").status.slug == "new"
    Status.objects.create(slug="triage", name="Triage", category="open", position=5)
    assert world.ticket("contact").status.slug == "triage"


def test_a_rolled_back_change_leaves_no_stale_copy(world: World) -> None:
    world.ticket("contact")
    with pytest.raises(RuntimeError), transaction.atomic():
        Agreement.objects.filter(pk=world.sla.pk).update(name="Never committed")
        assert _agreement_name(world.ticket("contact").pk) == "Never committed"
        raise RuntimeError("roll back")
    assert _agreement_name(world.ticket("contact").pk) == "Globex support"


def test_a_new_mailbox_is_one_of_our_own_addresses_at_once(world: World) -> None:
    support_mailbox(world)
    assert deliver(build(subject="Warm-up")).outcome == Outcome.TICKET
    mail_actions.create_mailbox(None, address="billing@rapport.test", provider=world.support.party)
    looped = deliver(build(sender="billing@rapport.test", subject="Loop?"))
    assert looped.outcome == Outcome.LOOP


def test_a_lost_stamp_row_is_made_again(world: World) -> None:
    ReferenceStamp.objects.all().delete()
    ticket = world.ticket("contact")
    assert _agreement_name(ticket.pk) == "Globex support"
    assert reference.snapshot().stamp is not None
    agreement_actions.update_agreement(None, world.sla, name="Globex gold")
    assert _agreement_name(world.ticket("contact").pk) == "Globex gold"


def _raise_via_api(world: World) -> dict[str, Any]:
    body = {"subject": "Toner", "body": "Empty again.", "provider": world.support.party_id}
    response = world.client("contact").post_json("/api/v1/tickets", body)
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def test_a_renamed_team_is_named_on_the_next_ticket(world: World) -> None:
    assert _raise_via_api(world)["provider"]["name"] == "Customer Support"
    directory.update_team(None, world.support, name="Customer Care")
    assert _raise_via_api(world)["provider"]["name"] == "Customer Care"


def test_a_party_renamed_by_raw_sql_is_named_on_the_next_ticket(world: World) -> None:
    assert _raise_via_api(world)["client"]["name"] == "Globex"
    with connection.cursor() as cursor:  # a writer that bypasses Django altogether
        cursor.execute(
            "UPDATE directory_party SET name = %s WHERE id = %s",
            ["Globex Corporation", world.customer.party_id],
        )
    assert _raise_via_api(world)["client"]["name"] == "Globex Corporation"


def test_a_calendar_changed_by_raw_sql_times_the_next_tickets_clocks(world: World) -> None:
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # the office calendar is closed
    with clock.travel_to(saturday):
        world.ticket("contact")  # the agreement and its compiled calendar are in the copy
        with connection.cursor() as cursor:  # a writer that bypasses Django altogether
            cursor.execute(
                "UPDATE agreements_calendar SET always_open = %s WHERE id = %s",
                [True, world.calendar.pk],
            )
        ticket = world.ticket("contact")
    first = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert first.due_at == saturday + timedelta(minutes=240)


def test_a_party_that_does_not_exist_is_refused_and_not_kept(world: World) -> None:
    body = {"subject": "Toner", "body": "Empty again.", "provider": 987_654}
    response = world.client("contact").post_json("/api/v1/tickets", body)
    assert response.status_code == 404, response.content
    assert ("party", 987_654) not in reference._store()


def test_a_request_or_task_takes_one_snapshot_whatever_it_reads(world: World) -> None:
    party_id = world.support.party_id
    directory_queries.party(party_id)  # the process's copy is loaded
    with reference.scope():
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                directory_queries.party(party_id)
                reference.current()
        assert len(queries) == 1  # the stamp, once
        # A raw write from elsewhere is seen by the next scope, not halfway through this one.
        Party.objects.filter(pk=party_id).update(name="Support desk")
        stale = directory_queries.party(party_id)
        assert stale is not None and stale.name != "Support desk"
    fresh = directory_queries.party(party_id)
    assert fresh is not None and fresh.name == "Support desk"
