"""The at-risk page (managers' landing page) and the outreach page."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from rapport.directory.models import Party, PartyKind
from rapport.proactive.actions import refresh_forecasts, snapshot_risks
from rapport.proactive.models import Outreach
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.testing import drain_reactions


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_at_risk_page_is_for_managers_and_reads_in_constant_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    world.ticket(body="This is unacceptable and terrible, I am furious.")
    snapshot_risks()
    manager = signed_in(world.manager)
    with django_assert_max_num_queries(12):
        page = manager.get(reverse("proactive:home"))
    assert page.status_code == 200
    assert "Globex" in page.content.decode() and "Negative sentiment trend" in page.content.decode()
    # More clients: the same number of queries.
    Party.objects.bulk_create(Party(kind=PartyKind.CUSTOMER, name=f"C{i}") for i in range(30))
    snapshot_risks()
    with django_assert_max_num_queries(12):
        assert manager.get(reverse("proactive:home") + "?all=1").status_code == 200
    assert signed_in(world.agent).get(reverse("proactive:home")).status_code == 403
    assert signed_in(world.contact).get(reverse("proactive:home")).status_code == 403


def test_outreach_preview_then_send(world: World) -> None:
    first = world.ticket(subject="VPN drops")
    second = world.ticket(requester="org_admin", subject="VPN slow")
    manager = signed_in(world.manager)
    url = reverse("proactive:outreach")
    assert manager.get(f"{url}?tickets={first.pk},{second.pk}").status_code == 200
    form = {
        "source": "tickets",
        "tickets": f"{first.pk}, {second.pk}",
        "subject": "VPN outage",
        "body": "We know about the VPN outage and expect a fix by noon.",
    }
    preview = manager.post(url, {**form, "preview": "1"})
    assert preview.status_code == 200 and "Recipients (2)" in preview.content.decode()
    assert not Outreach.objects.exists()
    sent = manager.post(url, {**form, "send": "1"})
    assert sent.status_code == 302
    assert Outreach.objects.get().recipients.count() == 2
    assert signed_in(world.agent).get(url).status_code == 403


def test_queue_badge_sort_and_ticket_panel(
    world: World, django_assert_max_num_queries: Any
) -> None:
    calm = world.ticket(subject="Calm one", body="Could you add a user? Thanks!")
    sour = world.ticket(subject="Sour one", body="Hello, a quick question about invoices.")
    ticket_actions.reply(
        world.contact, sour, body="I am furious. This is terrible and unacceptable!"
    )
    drain_reactions()
    refresh_forecasts()
    agent = signed_in(world.agent)
    page = agent.get(reverse("desk:queue", args=["team"]) + "?sort=-breach_risk")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("going sour") == 1 and html.index("Sour one") >= 0
    assert "Calm one" in html
    with django_assert_max_num_queries(8):
        panel = agent.get(reverse("proactive:ticket-panel", args=[sour.pk]))
    assert panel.status_code == 200
    text = panel.content.decode()
    assert "going sour" in text and "chance of breach" in text
    assert (
        signed_in(world.other_agent)
        .get(reverse("proactive:ticket-panel", args=[calm.pk]))
        .status_code
        == 404
    )
