"""The sweeper raises each warning and breach once, at the right moment, and escalates."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rapport.core import clock
from rapport.core.choices import Priority
from rapport.notifications.models import Notification
from rapport.sla import actions as sla_actions
from rapport.sla.models import TicketClock
from rapport.sla.sweeper import sweep
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event, Ticket
from rapport.tickets.testing import drain_reactions

BERLIN = ZoneInfo("Europe/Berlin")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def urgent(world: World) -> Ticket:
    return actions.create_ticket(
        world.agent, requester=world.contact, subject="Checkout down", body="Payments fail",
        provider=world.support.party, priority=Priority.URGENT,
    )  # fmt: skip


def sla_log(ticket: Ticket, *kinds: str) -> list[tuple[str, str, int | None]]:
    return [
        (e.kind, e.data["clock"], e.data.get("percent"))
        for e in Event.objects.filter(ticket=ticket, kind__in=kinds).order_by("id")
    ]


def test_warnings_then_the_breach_each_once(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = urgent(world)  # first response in 30 business minutes
    assert sweep(at(2026, 3, 10, 10, 14)).clocks == 0
    first = sweep(at(2026, 3, 10, 10, 15))
    assert (first.warnings, first.breaches) == (1, 0)
    assert sweep(at(2026, 3, 10, 10, 16)).clocks == 0  # nothing twice
    sweep(at(2026, 3, 10, 10, 23))
    sweep(at(2026, 3, 10, 10, 27))
    assert sla_log(ticket, "sla_warning", "sla_breached") == [
        ("sla_warning", "first_response", 50),
        ("sla_warning", "first_response", 75),
        ("sla_warning", "first_response", 90),
    ]
    breach = sweep(at(2026, 3, 10, 10, 30))
    assert breach.breaches == 1
    fr = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert fr.breached_at == at(2026, 3, 10, 10, 30)
    assert fr.next_check_at is None
    assert sla_log(ticket, "sla_breached") == [("sla_breached", "first_response", None)]
    # The resolution clock (240 min) warns at half time, 12:00.
    assert sweep(at(2026, 3, 10, 11, 59)).clocks == 0
    assert sweep(at(2026, 3, 10, 12, 0)).warnings == 1


def test_the_log_names_due_times_and_the_next_check_is_the_next_threshold(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = urgent(world)  # first response due 10:30 Berlin (9:30 UTC)
    sweep(at(2026, 3, 10, 10, 15))
    fr = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert fr.warned_percent == 50
    assert fr.next_check_at == at(2026, 3, 10, 10, 22) + timedelta(seconds=30)  # 75 % of 30 min
    sweep(at(2026, 3, 10, 10, 31))
    logged = [
        e.data
        for e in Event.objects.filter(ticket=ticket, kind__in=["sla_warning", "sla_breached"])
    ]
    # `agreement` and `crossed` (the levels passed since the last check) are what the
    # escalations (a reaction) go by.
    agreement = ticket.agreement_id
    assert logged == [
        {"clock": "first_response", "cycle": 1, "target_minutes": 30, "used_minutes": 15.0,
         "agreement": agreement, "crossed": [50], "percent": 50,
         "due_at": "2026-03-10T09:30:00+00:00"},
        {"clock": "first_response", "cycle": 1, "target_minutes": 30, "used_minutes": 31.0,
         "agreement": agreement, "crossed": [75, 90, 100], "due_at": "2026-03-10T09:30:00+00:00"},
    ]  # fmt: skip


def test_a_sweeper_that_was_away_records_only_the_breach(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = urgent(world)
    result = sweep(at(2026, 3, 10, 10, 45))  # 50, 75, 90 and 100 % all passed meanwhile
    assert (result.warnings, result.breaches) == (0, 1)
    assert sla_log(ticket, "sla_warning", "sla_breached") == [
        ("sla_breached", "first_response", None)
    ]


def test_closed_hours_and_pauses_move_the_checks(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 16, 50)):
        ticket = urgent(world)
    assert sweep(at(2026, 3, 10, 23, 0)).clocks == 0  # 10 of 30 minutes used: closed at night
    assert sweep(at(2026, 3, 11, 9, 5)).warnings == 1  # 50 % at 9:05 next morning
    with clock.travel_to(at(2026, 3, 11, 9, 6)):
        actions.reply(world.agent, ticket, body="Found it")
    assert sweep(at(2026, 3, 11, 9, 30)).breaches == 0  # fulfilled in time


def test_escalations_notify_raise_priority_and_reassign(world: World) -> None:
    sla_actions.set_sla_settings(
        None, world.sla, warning_percents=[50, 80],
        escalations=[
            {"at_percent": 80, "action": "notify", "recipients": ["assignee", "team_lead"]},
            {"at_percent": 50, "clock": "resolution", "action": "raise_priority",
             "priority": "high"},
            {"at_percent": 100, "action": "notify", "recipients": ["provider_manager"]},
            {"at_percent": 100, "clock": "first_response", "action": "reassign",
             "team": world.support.pk},
        ],
    )  # fmt: skip
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")  # normal: first response 240, resolution 2400
        actions.assign(world.agent, ticket, world.agent)
    sweep(at(2026, 3, 10, 12, 0))  # first response at 50 %: no escalation at 50 for it
    drain_reactions()  # escalations are the SLA app's reaction to warnings and breaches
    assert not Notification.objects.exists()
    sweep(at(2026, 3, 10, 13, 12))  # 80 %
    drain_reactions()
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("agent", "sla_warning"), ("lead", "sla_warning"),
    }  # fmt: skip
    with clock.travel_to(at(2026, 3, 10, 14, 0)):
        sweep(at(2026, 3, 10, 14, 0))  # breach: managers told, the team's lead takes it
        drain_reactions()
    ticket.refresh_from_db()
    assert ticket.assignee == world.lead
    managers = Notification.objects.filter(kind="sla_breach").values_list("recipient__username")
    assert {m for (m,) in managers} == {"manager"}
    assert Notification.objects.filter(recipient=world.lead, kind="sla_reassigned").exists()
    with clock.travel_to(at(2026, 3, 13, 14, 0)):
        sweep(at(2026, 3, 13, 14, 0))  # resolution 50 % (20 h) passed: raised to high
        drain_reactions()
    ticket.refresh_from_db()
    assert ticket.priority == Priority.HIGH
    assert Event.objects.filter(ticket=ticket, kind="priority", new_value="high").exists()


def test_a_raised_priority_is_swept_at_its_new_due_time(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        ticket = world.ticket("contact")
    with clock.travel_to(at(2026, 3, 10, 10, 40)):
        actions.set_priority(world.agent, ticket, Priority.URGENT)  # 30 min target: overdue
    result = sweep(at(2026, 3, 10, 10, 41))
    assert result.breaches == 1
    fr = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert fr.breached_at is not None
    assert fr.breached_at <= at(2026, 3, 10, 10, 41)


def test_many_due_clocks_in_small_batches(world: World) -> None:
    with clock.travel_to(at(2026, 3, 10, 10, 0)):
        tickets = [urgent(world) for _ in range(7)]
    result = sweep(at(2026, 3, 10, 10, 31), batch=3)
    assert result.breaches == 7
    assert Event.objects.filter(kind="sla_breached", ticket__in=tickets).count() == 7
    assert sweep(at(2026, 3, 10, 10, 31) + timedelta(seconds=1), batch=3).breaches == 0
