"""The at-risk page (managers' landing page) and the outreach page."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from rapport.directory.models import Party, PartyKind
from rapport.proactive.actions import snapshot_risks
from rapport.proactive.models import Outreach
from rapport.testing import World


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
