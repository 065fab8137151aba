"""Properties of the clocks under any sequence of status changes and replies."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.core import clock
from rapport.sla.business_time import compile_calendar
from rapport.sla.clocks import used_from_log, used_us
from rapport.sla.models import LIVE_STATES, TicketClock
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 9, 8, 0, tzinfo=BERLIN)

steps = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=60 * 30),  # minutes later
        st.sampled_from(["open", "pending_client", "on_hold", "agent", "contact", "solved"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(steps)
def test_stored_clocks_agree_with_the_event_log(world: World, plan: list[tuple[int, str]]) -> None:
    """What the actions keep in the clock rows is what the log replays to: the
    ground a priority change recomputes from. And due times never move earlier
    than the unpaused due time."""
    with transaction.atomic():
        moment = START
        with clock.travel_to(moment):
            ticket = world.ticket("contact")
        for minutes, step in plan:
            moment += timedelta(minutes=minutes)
            with clock.travel_to(moment):
                if step == "agent":
                    actions.reply(world.agent, ticket, body="Answer")
                elif step == "contact":
                    actions.reply(world.contact, ticket, body="Question")
                elif step != ticket.status_category:
                    actions.set_status(world.agent, ticket, actions.default_status(step))
        now = moment + timedelta(hours=1)
        log = list(Event.objects.filter(ticket=ticket, kind__startswith="sla_"))
        cal = compile_calendar(world.calendar)
        for c in TicketClock.objects.filter(ticket=ticket).select_related("agreement"):
            assert used_us(c, cal, now) == used_from_log(c, cal, log, now), (c, plan)
            if c.state in LIVE_STATES and c.due_at is not None:
                unpaused = cal.add_minutes(c.started_at, c.target_minutes)
                assert c.due_at >= unpaused
        transaction.set_rollback(True)
