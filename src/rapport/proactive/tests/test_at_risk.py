"""At-risk clients: a score that explains itself, and one outreach task per 14 days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.notifications.models import Notification
from rapport.proactive.actions import snapshot_risks
from rapport.proactive.models import ClientRisk, OutreachTask, RiskSnapshot
from rapport.proactive.risk import THRESHOLD, assess
from rapport.sla.sweeper import sweep
from rapport.testing import World
from rapport.tickets import actions as ticket_actions

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)  # a Tuesday, office hours

ANGRY = [
    "This is unacceptable, the checkout has been down all morning. Terrible.",
    "Still broken. We are losing money and nobody answers. Awful service.",
    "I am furious. Third outage this week, this is ridiculous.",
    "Horrible. Nothing works and you keep ignoring us.",
]


def unhappy_client(world: World) -> None:
    with clock.travel_to(START):
        tickets = [
            ticket_actions.create_ticket(
                world.agent,
                requester=world.contact,
                subject="Checkout down",
                body=body,
                provider=world.support.party,
                priority=Priority.URGENT,
            )
            for body in ANGRY
        ]
    sweep(START + timedelta(hours=6))  # every urgent clock is over its target
    with clock.travel_to(START + timedelta(hours=6, minutes=30)):
        solved = ticket_actions.default_status(StatusCategory.SOLVED)
        for ticket in tickets[:2]:  # "solved", and the client says it is not
            ticket_actions.set_status(world.agent, ticket, solved)
            ticket_actions.reply(world.contact, ticket, body="Still broken. This is terrible.")


def test_contributions_add_up_to_the_score(world: World) -> None:
    unhappy_client(world)
    now = START + timedelta(hours=7)
    found = {a.party_id: a for a in assess(now)}
    globex = found[world.customer.party.pk]
    keys = {c["key"] for c in globex.contributions}
    assert {"sentiment", "breaches"} <= keys, globex.contributions
    assert globex.score == round(sum(c["points"] for c in globex.contributions), 1)
    assert globex.score >= THRESHOLD and globex.at_risk
    assert all(c["detail"] for c in globex.contributions)
    # Initech has no tickets: nothing to explain, nothing at risk.
    assert found[world.other_customer.party.pk].score == 0
    # Internal client teams are scored too.
    assert world.it.party.pk in found


def test_snapshots_keep_the_history_and_the_page_reads_it(world: World) -> None:
    unhappy_client(world)
    snapshot_risks(START + timedelta(hours=7))
    snapshot_risks(START + timedelta(days=1))
    assert RiskSnapshot.objects.filter(party=world.customer.party).count() == 2
    risk = ClientRisk.objects.get(party=world.customer.party)
    assert risk.at_risk and risk.score == sum(c["points"] for c in risk.contributions)


def test_one_outreach_task_per_client_per_14_days(world: World) -> None:
    unhappy_client(world)
    first = START + timedelta(hours=7)
    snapshot_risks(first)
    snapshot_risks(first)  # the same run twice: still one task
    tasks = OutreachTask.objects.filter(party=world.customer.party)
    assert tasks.count() == 1
    task = tasks.get()
    # The account's owner: the lead of the team that serves Globex.
    assert task.owner == world.lead
    assert Notification.objects.filter(recipient=world.lead, kind="at_risk").count() == 1
    snapshot_risks(first + timedelta(days=13, hours=23))
    assert tasks.count() == 1
    snapshot_risks(first + timedelta(days=14, hours=1))
    assert tasks.count() == 2
