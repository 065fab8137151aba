"""The demo company's proactive side, through the actions like the rest of the demo: a
conversation going sour, clients' risk scored weekly for a month (so the page has
history and reasons), the breach forecast of every open clock, and one outreach."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.core import clock
from rapport.core.choices import ACTIVE_CATEGORIES
from rapport.directory.models import Person, Team
from rapport.proactive import actions
from rapport.tickets import actions as tickets
from rapport.tickets.models import Ticket

SOURING = (
    "Hello, our shop's card terminal shows a connection error since this morning.",
    "Any news? The terminal is still down and customers are waiting at the till.",
    "This is unacceptable. We have lost a whole day of sales and nobody calls us back.",
)


def build_proactive(now: datetime) -> None:
    contact = Person.objects.get(username="peter.lindqvist")
    support = Team.objects.get(name="Customer Support")
    with clock.travel_to(now - timedelta(hours=5)):
        ticket = tickets.create_ticket(
            contact, subject="Card terminal offline", body=SOURING[0], provider=support.party
        )
    for hours, body in ((3, SOURING[1]), (1, SOURING[2])):
        with clock.travel_to(now - timedelta(hours=hours)):
            tickets.reply(contact, ticket, body=body)
    for t in Ticket.objects.filter(messages__author_side="client").distinct():
        actions.refresh_mood(t)
    for weeks in (4, 3, 2, 1, 0):
        actions.snapshot_risks(now - timedelta(weeks=weeks))
    actions.refresh_forecasts(now)
    manager = Person.objects.get(username="daniel.fischer")
    affected = list(
        Ticket.objects.filter(
            provider_party=support.party,
            status_category__in=ACTIVE_CATEGORIES,
            client_party__kind="customer",
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)[:4]
    )
    if affected:
        with clock.travel_to(now - timedelta(minutes=30)):
            actions.send_outreach(
                manager,
                subject="Card payments: a known problem with our payment provider",
                body="Some card payments fail since this morning because of an outage at our "
                "payment provider. We are on it with them and will write again as soon as it "
                "is fixed. No need to reply.",
                tickets=affected,
            )
