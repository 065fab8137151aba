"""The SLA API as its users meet it: clocks, settings, previews, and clear errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.test_bad_input import assert_problem

from rapport.agreements import actions as agreement_actions
from rapport.core import clock
from rapport.sla import actions as sla_actions
from rapport.sla.models import Escalation
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def test_a_tickets_clocks_show_time_used_and_left(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    agent = world.client("agent")
    with clock.travel_to(at(2026, 3, 10, 13, 30)):
        body = agent.get(f"/api/v1/tickets/{ticket.pk}/clocks").json()
    first = next(c for c in body if c["kind"] == "first_response")
    assert first["state"] == "running"
    assert first["used_minutes"] == 210
    assert first["remaining_minutes"] == 30
    assert first["level"] == "warning"  # 87.5 %: past 75, not yet 90
    with clock.travel_to(at(2026, 3, 10, 13, 40)):
        body = agent.get(f"/api/v1/tickets/{ticket.pk}/clocks").json()
    assert body[0]["kind"] == "first_response" and body[0]["level"] == "warning-high"
    assert first["due_at"] == "2026-03-10T13:00:00Z"
    with clock.travel_to(at(2026, 3, 10, 14, 30)):
        body = agent.get(f"/api/v1/tickets/{ticket.pk}/clocks").json()
    first = next(c for c in body if c["kind"] == "first_response")
    assert first["breached"] is True and first["remaining_minutes"] == -30
    assert first["level"] == "breached"


def test_clocks_cost_the_same_queries_however_many_there_are(world: World) -> None:
    agreement_actions.update_agreement(
        None, world.sla,
        targets=[{"priority": "normal", "first_response_minutes": 60,
                  "next_response_minutes": 60, "resolution_minutes": 600}],
    )  # fmt: skip
    agent = world.client("agent")
    agent.get("/api/v1/me")
    short, long = world.ticket("contact"), world.ticket("contact")
    for i in range(6):
        actions.reply(world.agent, long, body=f"Answer {i}")
        actions.reply(world.contact, long, body=f"Question {i}")

    def count(ticket: Ticket) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert agent.get(f"/api/v1/tickets/{ticket.pk}/clocks").status_code == 200
        return len(ctx.captured_queries)

    assert count(short) == count(long)
    assert len(agent.get(f"/api/v1/tickets/{long.pk}/clocks").json()) == 8


def test_admins_set_thresholds_and_escalations(world: World) -> None:
    admin = world.client("admin")
    payload = {
        "warning_percents": [80, 50],
        "escalations": [
            {"at_percent": 80, "action": "notify", "recipients": ["assignee", "team_lead"]},
            {"at_percent": 100, "clock": "resolution", "action": "raise_priority",
             "priority": "urgent"},
            {"at_percent": 100, "action": "reassign", "team": world.support.pk},
        ],
    }  # fmt: skip
    response = admin.put(
        f"/api/v1/agreements/{world.sla.pk}/sla", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["warning_percents"] == [50, 80]
    assert [e["action"] for e in body["escalations"]] == ["notify", "raise_priority", "reassign"]
    assert admin.get(f"/api/v1/agreements/{world.sla.pk}/sla").json() == body
    # Dropping the 80 % threshold drops the escalation hanging off it.
    admin.put(f"/api/v1/agreements/{world.sla.pk}/sla", {"warning_percents": [50]},
              content_type="application/json")  # fmt: skip
    assert sorted(Escalation.objects.values_list("at_percent", flat=True)) == [100, 100]


def _put(world: World, payload: Any) -> Any:
    return world.client("admin").put(
        f"/api/v1/agreements/{world.sla.pk}/sla", payload, content_type="application/json"
    )


def test_bad_settings_are_refused_and_nothing_changes(world: World) -> None:
    sla_actions.set_sla_settings(None, world.sla, escalations=[
        {"at_percent": 100, "action": "notify", "recipients": ["assignee"]}])  # fmt: skip
    cases = [
        ({"warning_percents": [0]}, "warning_percents"),
        ({"warning_percents": [100]}, "warning_percents"),
        ({"escalations": [{"at_percent": 70, "action": "notify", "recipients": ["assignee"]}]},
         "escalations"),
        ({"escalations": [{"at_percent": 100, "action": "notify"}]}, "escalations"),
        ({"escalations": [{"at_percent": 100, "action": "reassign"}]}, "escalations"),
        ({"escalations": [{"at_percent": 100, "action": "reassign", "team": 10**6}]},
         "escalations"),
        ({"escalations": [{"at_percent": 100, "action": "raise_priority"}]}, "escalations"),
        ({"escalations": [{"at_percent": 100, "action": "explode"}]}, "escalations.0.action"),
        ({"warning_percents": "many"}, "warning_percents"),
        ({"colour": "red"}, "colour"),
    ]  # fmt: skip
    for payload, field in cases:
        assert_problem(_put(world, payload), 422, field=field)
    world.sla.refresh_from_db()
    assert world.sla.warning_percents == [50, 75, 90]
    assert list(Escalation.objects.values_list("action", flat=True)) == ["notify"]


def test_preview_of_an_agreement_and_a_calendar(world: World) -> None:
    client = world.client("contact")
    body = client.get(
        f"/api/v1/agreements/{world.sla.pk}/preview?at=2026-03-13T16:45:00%2B01:00"
    ).json()
    assert body["priority"] == "normal"
    assert body["due"]["first_response"] == "2026-03-16T11:45:00Z"  # Monday 12:45 Berlin
    assert body["due"]["next_response"] is None  # no such target
    body = client.get(
        f"/api/v1/calendars/{world.calendar.pk}/preview?start=2026-12-24T12:00:00Z&minutes=480"
    ).json()
    # Christmas 25/26 December fall on Friday and Saturday in 2026.
    assert body["due_at"] == "2026-12-28T12:00:00Z"
    assert body["next_open"] == "2026-12-24T12:00:00Z"


def test_bad_preview_and_attainment_questions(world: World) -> None:
    client = world.client("admin")
    base = f"/api/v1/calendars/{world.calendar.pk}/preview"
    assert_problem(client.get(f"{base}?minutes=0"), 422, field="minutes")
    assert_problem(client.get(f"{base}?start=yesterday"), 422, field="start")
    assert_problem(client.get(f"{base}?start=2026-03-10T10:00:00"), 422, field="start")
    closed = agreement_actions.create_calendar(
        None, name="Closed forever",
        weekly_hours=[{"weekday": 0, "start": "09:00", "end": "17:00"}],
        closed_dates=[{"start": "2000-01-01", "end": "2999-12-31"}],
    )  # fmt: skip
    assert_problem(client.get(f"/api/v1/calendars/{closed.pk}/preview"), 422, field="calendar")
    assert_problem(
        client.get(f"/api/v1/agreements/{world.sla.pk}/preview?priority=extreme"), 422,
        field="priority",
    )  # fmt: skip
    assert_problem(
        client.get("/api/v1/attainment?since=2026-03-10T00:00:00Z&until=2026-03-01T00:00:00Z"),
        422, field="until",
    )  # fmt: skip
    assert_problem(client.get("/api/v1/attainment?agent=0"), 422, field="agent")


def test_holiday_countries_and_subdivisions_are_checked(world: World) -> None:
    admin = world.client("admin")
    response = admin.post_json("/api/v1/calendars", {
        "name": "Atlantis", "weekly_hours": [{"weekday": 0, "start": "09:00", "end": "17:00"}],
        "holiday_country": "XQ"})  # fmt: skip
    assert_problem(response, 422, field="holiday_country")
    response = admin.patch_json(
        f"/api/v1/calendars/{world.calendar.pk}", {"holiday_subdivision": "ZZ"}
    )
    assert_problem(response, 422, field="holiday_subdivision")


def test_editing_targets_recomputes_running_clocks(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        agreement_actions.update_agreement(
            None, world.sla,
            targets=[{"priority": "normal", "first_response_minutes": 120,
                      "resolution_minutes": 2400}],
        )  # fmt: skip
        # The worker runs this after the commit; here the test runs it itself.
        assert sla_actions.recompute_agreement(world.sla.pk) == 1
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == at(2026, 3, 10, 12, 0)


def test_a_new_pause_rule_pauses_running_clocks_of_tickets_in_that_status(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
        actions.set_status(world.agent, ticket, actions.default_status("on_hold"))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is not None  # on hold does not pause by default
    with clock.travel_to(at(2026, 3, 10, 11, 0)):
        agreement_actions.update_agreement(
            None, world.sla, pauses={"resolution": ["pending_client", "on_hold"]}
        )
        sla_actions.recompute_agreement(world.sla.pk)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None
    assert ticket.first_response_due_at == at(2026, 3, 10, 14, 0)
