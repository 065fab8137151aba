"""The demo's surveys: every agreement asks CSAT and NPS an hour after a solve, and
about a third of the clients answer, as they do in real life (a 25–40 % response
rate is usual for a one-click CSAT survey).

Most clients are pleased; Billing keeps its service levels but leaves its clients
unhappy (the scorecards' watermelon: green outside, red inside); the clients marked
at risk in `content.AT_RISK` rate low. Each survey is scheduled, sent and answered
through the surveys actions at the moment it would have happened.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.demo.content import AT_RISK
from rapport.demo.organisation import Directory
from rapport.demo.phrases import RATING_COMMENTS
from rapport.demo.stories import SEED
from rapport.mail import outbound
from rapport.sla.models import TicketClock
from rapport.surveys import actions as surveys
from rapport.surveys.models import SurveyState
from rapport.tickets.models import Ticket

ANSWERED = 0.34  # the share of surveys clients answer
DELAY_MINUTES = 60
# Weights of CSAT 5, 4, 3, 2, 1.
PLEASED = (55, 32, 7, 3, 3)
AFTER_A_BREACH = (25, 30, 20, 15, 10)
WATERMELON = (8, 20, 32, 24, 16)  # Billing: on time, and still unhappy clients
AT_RISK_MOOD = (4, 8, 20, 33, 35)
WATERMELON_PROVIDER = "billing"
NPS_BY_CSAT = {5: (9, 10), 4: (7, 9), 3: (5, 7), 2: (2, 5), 1: (0, 3)}


def build_ratings(found: Directory, now: datetime) -> None:
    rng = random.Random(f"{SEED}:ratings")
    for agreement in Agreement.objects.all():
        surveys.configure(None, agreement, csat=True, nps=True, delay_minutes=DELAY_MINUTES)
    at_risk = {found.parties[key].pk for key in AT_RISK}
    billing = found.parties[WATERMELON_PROVIDER].pk
    breached = set(
        TicketClock.objects.filter(breached_at__isnull=False).values_list("ticket_id", flat=True)
    )
    solved = Ticket.objects.filter(
        solved_at__isnull=False, merged_into__isnull=True, agreement__isnull=False
    ).order_by("solved_at", "id")
    for ticket in solved:
        assert ticket.solved_at is not None
        with clock.travel_to(ticket.solved_at):
            survey = surveys.on_ticket_solved(ticket, None, at=ticket.solved_at)
        if survey is None or survey.state != SurveyState.SCHEDULED or survey.send_at >= now:
            continue
        with clock.travel_to(survey.send_at), outbound.muted():
            surveys.send_due(survey.send_at, batch=5)
        survey.refresh_from_db()
        answered_at = survey.send_at + timedelta(minutes=rng.uniform(10, 36 * 60))
        if survey.state != SurveyState.SENT or rng.random() > ANSWERED or answered_at >= now:
            continue
        if ticket.client_party_id in at_risk:
            weights = AT_RISK_MOOD
        elif ticket.provider_party_id == billing:
            weights = WATERMELON
        elif ticket.pk in breached:
            weights = AFTER_A_BREACH
        else:
            weights = PLEASED
        csat = rng.choices((5, 4, 3, 2, 1), weights=weights)[0]
        low, high = NPS_BY_CSAT[csat]
        comment = rng.choice(RATING_COMMENTS[csat]) if rng.random() < 0.4 else None
        with clock.travel_to(answered_at):
            ratings = {"csat": csat, "nps": rng.randint(low, high)}
            surveys.answer(survey, actor=survey.respondent, ratings=ratings, comment=comment)
