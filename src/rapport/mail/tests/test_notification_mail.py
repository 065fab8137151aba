"""In-app notifications (SLA warnings, escalations) are also e-mailed to the person."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rapport.core import clock
from rapport.mail import outbound
from rapport.mail.models import OutboundMessage, OutboundState
from rapport.mail.testing import SmtpSink
from rapport.sla import actions as sla_actions
from rapport.sla.sweeper import sweep
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.testing import drain_reactions

BERLIN = ZoneInfo("Europe/Berlin")


def test_an_sla_escalation_reaches_the_assignee_by_mail(world: World, sink: SmtpSink) -> None:
    sla_actions.set_sla_settings(
        None, world.sla, warning_percents=[80],
        escalations=[{"at_percent": 80, "action": "notify", "recipients": ["assignee"]}],
    )  # fmt: skip
    with clock.travel_to(datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)):
        ticket = world.ticket("contact")  # first response due in 4 business hours
        actions.assign(world.agent, ticket, world.agent)
    sweep(datetime(2026, 3, 10, 13, 12, tzinfo=BERLIN))  # 80 % of the first response
    drain_reactions()  # escalations are the SLA app's reaction to the warning
    queued = OutboundMessage.objects.filter(  # the new ticket's own mail aside
        state=OutboundState.QUEUED, to_address="agent@example.com", kind="sla_warning"
    )
    for mail in queued:
        outbound.send(mail.pk)
    (mail,) = [m for m in sink.messages if m["To"] == "agent@example.com"]
    assert mail["Subject"].startswith(f"[#{ticket.pk}] ")
    assert f"/desk/t/{ticket.pk}/" in mail.get_body(("plain",)).get_content()
    assert mail["Auto-Submitted"] == "auto-replied"


def test_muted_blocks_mail_nobody(world: World) -> None:
    from rapport.notifications.actions import notify

    ticket = world.ticket("contact")
    before = OutboundMessage.objects.count()
    with outbound.muted():
        (row,) = notify([world.agent], "sla_warning", ticket, "First response due soon.")
    assert row.recipient == world.agent  # still in the app
    assert OutboundMessage.objects.count() == before
