"""Monthly digests reach the provider's lead, our managers and the OLA/UC counterpart."""

from __future__ import annotations

from rapport.core import clock
from rapport.mail.models import OutboundMessage
from rapport.mail.outbound import send
from rapport.mail.testing import SmtpSink
from rapport.scorecards.digests import recipients, send_digests
from rapport.scorecards.tests.conftest import utc
from rapport.testing import World
from rapport.tickets import actions


def test_monthly_digest_contents(march: World, sink: SmtpSink) -> None:
    with clock.travel_to(utc(2026, 4, 1, 6)):
        assert send_digests("month") == 1  # only Support had work in March
        assert send_digests("month") == 0  # the scheduler ran twice: nothing more
    for row in OutboundMessage.objects.filter(kind="digest"):
        send(row.pk)
    to = sorted(m["To"] for m in sink.messages if "scorecard" in m["Subject"])
    assert to == ["lead@example.com", "manager@example.com"]
    mail = next(m for m in sink.messages if m["To"] == "lead@example.com")
    assert mail["Subject"] == "Customer Support: scorecard for March 2026"
    text = mail.get_body(("plain",)).get_content()
    assert "Volume in: 3 (2 vs previous)" in text
    assert "First response attainment: 33.3 %" in text
    assert "CSAT: 50.0 %   NPS: 0.0   CES: 7.0" in text
    html = mail.get_body(("html",)).get_content()
    assert "<svg" in html


def test_uc_digest_goes_to_the_client_teams_lead(world: World) -> None:
    handoff = world.handoff()
    actions.reply(world.vendor_user, handoff, body="On our way")
    assert [p.username for p in recipients(world.vendor.party)] == ["manager", "lead"]
    assert [p.username for p in recipients(world.support.party)] == ["manager", "lead"]
