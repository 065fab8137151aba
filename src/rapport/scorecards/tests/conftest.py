from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.surveys import actions as surveys
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket
from rapport.tickets.testing import drain_reactions


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def solve(world: World, ticket: Ticket, by: str = "agent") -> None:
    actions.set_status(world.people[by], ticket, actions.default_status(StatusCategory.SOLVED))
    drain_reactions()  # the survey is the surveys app's reaction to the solve


@pytest.fixture
def march(world: World) -> World:
    """Support's March 2026 (Berlin office hours 9–17, normal targets 240 / 2400 min):

    T4 created 20 Feb, solved 23 Feb, reopened and solved again 2 March.
    T1 created 10 Mar 09:00 UTC, answered by the agent after 60 business minutes,
       solved after 180; rated CSAT 5, NPS 10, CES 7.
    T2 created 10 Mar 09:00 UTC, answered by the lead next day after 480 minutes
       (first response breached), solved after 540; rated CSAT 2, NPS 3.
    T3 created 12 Mar 09:00 UTC and never answered: still open on 1 April.
    """
    w = world
    surveys.configure(None, w.sla, csat=True, ces=True, nps=True, delay_minutes=0)
    with clock.travel_to(utc(2026, 2, 20, 9)):
        t4 = w.ticket("contact", subject="T4")
    with clock.travel_to(utc(2026, 2, 23, 9)):
        actions.reply(w.agent, t4, body="Done")
        solve(w, t4)
    with clock.travel_to(utc(2026, 3, 2, 9)):
        actions.reopen(w.contact, t4)
    with clock.travel_to(utc(2026, 3, 2, 10)):
        solve(w, t4)
    with clock.travel_to(utc(2026, 3, 10, 9)):
        t1 = w.ticket("contact", subject="T1")
        t2 = w.ticket("contact", subject="T2")
        actions.assign(w.agent, t1, w.agent)
        actions.assign(w.agent, t2, w.lead)
    with clock.travel_to(utc(2026, 3, 10, 10)):
        actions.reply(w.agent, t1, body="Fixed")
    with clock.travel_to(utc(2026, 3, 10, 12)):
        solve(w, t1)
    with clock.travel_to(utc(2026, 3, 11, 9)):
        actions.reply(w.lead, t2, body="Fixed")
    with clock.travel_to(utc(2026, 3, 11, 10)):
        solve(w, t2, by="lead")
    with clock.travel_to(utc(2026, 3, 12, 9)):
        w.ticket("contact", subject="T3")
    with clock.travel_to(utc(2026, 3, 12, 12)):
        surveys.send_due()
        s1, s2 = Survey.objects.get(ticket=t1), Survey.objects.get(ticket=t2)
        surveys.answer(s1, actor=w.contact, ratings={"csat": 5, "nps": 10, "ces": 7})
        surveys.answer(s2, actor=w.contact, ratings={"csat": 2, "nps": 3}, comment="Too slow")
    return w
