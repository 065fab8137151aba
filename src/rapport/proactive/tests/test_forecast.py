"""Breach forecast: the model's arithmetic, the sweep's warnings before the thresholds,
and the hand-off warning naming the customer ticket at stake."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.core import clock
from rapport.core.choices import Priority
from rapport.notifications.models import Notification
from rapport.proactive import forecast
from rapport.proactive.actions import refresh_forecasts
from rapport.proactive.models import ClockForecast
from rapport.sla.sweeper import sweep
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event, Ticket

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)  # a Tuesday, office hours


def test_the_conditional_survival_of_similar_clocks() -> None:
    # Ten similar clocks: four met at 20–80 % of target, six breached.
    c = forecast.curve([0.2, 0.4, 0.6, 0.8] + [math.inf] * 6)
    assert forecast.probability(c, 0.0) == pytest.approx(0.6)
    assert forecast.probability(c, 0.5) == pytest.approx(6 / 8)  # two met before half-time
    assert forecast.probability(c, 0.9) == 1.0  # nobody finished that late
    assert forecast.probability(c, 1.2) == 1.0
    # Busier than usual: likelier; quieter: less likely.
    assert forecast.probability(c, 0.5, load=2) > 6 / 8 > forecast.probability(c, 0.5, load=0.5)
    # Nothing learned yet: the naive fraction used.
    assert forecast.probability(forecast.curve([]), 0.3) == 0.3


def test_load_ratio_is_bounded_and_neutral_at_the_norm() -> None:
    assert forecast.load_ratio(3, 3, 5, 5) == 1.0
    assert forecast.load_ratio(1000, 0, None, 0) == 4.0
    assert forecast.load_ratio(0, 1000, 0, 1000) == 0.5


def test_strata_fall_back_when_history_is_thin() -> None:
    rows = [("resolution", 4, 0.5)] * 5 + [("resolution", 2, math.inf)] * 40
    h = forecast.history(rows)
    assert h.for_clock("resolution", 4) is h.kinds["resolution"]  # 5 < MIN_HISTORY
    assert h.for_clock("resolution", 2) is h.strata[("resolution", 2)]


def urgent(world: World, subject: str = "Checkout down") -> Ticket:
    return ticket_actions.create_ticket(
        world.agent,
        requester=world.contact,
        subject=subject,
        body="Payments fail",
        provider=world.support.party,
        priority=Priority.URGENT,
    )


def test_the_provider_is_warned_before_the_first_threshold(world: World) -> None:
    # History: urgent tickets of last week all breached their clocks.
    with clock.travel_to(START - timedelta(days=7)):
        for _ in range(3):
            urgent(world, "Earlier outage")
    sweep(START - timedelta(days=6))
    with clock.travel_to(START):
        ticket = urgent(world)
    now = START + timedelta(minutes=5)  # 5 of 30 minutes used: no threshold crossed
    refresh_forecasts(now)
    forecasts = ClockForecast.objects.filter(ticket=ticket)
    assert forecasts.count() == 2 and all(f.probability >= 0.5 for f in forecasts)
    assert all(f.warned_at == now for f in forecasts)
    warned = Notification.objects.filter(kind="breach_forecast", ticket=ticket)
    # Unassigned: the providing team hears it.
    assert {n.recipient for n in warned} >= {world.agent, world.lead}
    assert Event.objects.filter(ticket=ticket, kind="breach_forecast").count() == 2
    assert not Event.objects.filter(ticket=ticket, kind="sla_warning").exists()
    refresh_forecasts(now + timedelta(minutes=1))  # once per clock
    assert Event.objects.filter(ticket=ticket, kind="breach_forecast").count() == 2


def test_a_quiet_history_warns_nobody(world: World) -> None:
    with clock.travel_to(START - timedelta(days=7)):
        earlier = [urgent(world, "Earlier question") for _ in range(3)]
    with clock.travel_to(START - timedelta(days=7) + timedelta(minutes=2)):
        for t in earlier:  # answered and solved quickly
            ticket_actions.reply(world.agent, t, body="Done.")
    with clock.travel_to(START):
        ticket = urgent(world)
    refresh_forecasts(START + timedelta(minutes=1))
    fr = ClockForecast.objects.get(ticket=ticket, clock__kind="first_response")
    assert fr.probability < 0.5 and fr.warned_at is None
    assert not Notification.objects.filter(kind="breach_forecast", ticket=ticket).exists()


def test_a_handoff_threatening_the_customer_sla_warns_the_vendor(world: World) -> None:
    with clock.travel_to(START - timedelta(days=7)):
        for _ in range(2):
            world.handoff()
    sweep(START - timedelta(days=1))
    with clock.travel_to(START):
        customer = urgent(world)
        handed = ticket_actions.create_ticket(
            world.agent,
            subject="Payment terminal",
            body="Replace it",
            parent=customer,
            provider=world.vendor.party,
        )
    refresh_forecasts(START + timedelta(minutes=5))
    told = Notification.objects.filter(
        kind="breach_forecast", ticket=handed, recipient=world.vendor_user
    )
    assert told.exists()
    assert f"Customer ticket #{customer.pk} (Globex)" in told.first().text  # type: ignore[union-attr]
    event = Event.objects.filter(ticket=handed, kind="breach_forecast").first()
    assert event is not None and event.data["customer_ticket"] == customer.pk
