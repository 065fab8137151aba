"""The portal's knowledge base: only articles meant for the reader, public ones without
sign-in, one vote per person, suggestions on the new-request form, deflection."""

from __future__ import annotations

from django.test import Client

from rapport.policies import actions
from rapport.policies.models import Deflection, Document, Vote
from rapport.policies.tests.libworld import published_policy
from rapport.testing import PASSWORD, World


def _login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _article(world: World, title: str, **kw: object) -> Document:
    doc = actions.create_document(
        world.agent,
        kind="article",
        title=title,
        body=f"# {title}\n\nHow to fix it.",
        owner=world.agent,
        team=world.support,
        **kw,
    )  # type: ignore[arg-type]
    actions.publish(world.agent, doc.versions.get())
    return doc


def test_clients_see_only_articles_meant_for_them(world: World) -> None:
    globex = _article(world, "Globex VPN setup", client_audience="chosen",
                      client_orgs=[world.customer])  # fmt: skip
    everyone = _article(world, "Router reset", client_audience="all")
    staff_only = _article(world, "Internal escalation tips")
    policy = published_policy(world)
    contact = _login(world, "contact").get("/kb/").content.decode()
    assert "Globex VPN setup" in contact and "Router reset" in contact
    assert "Internal escalation tips" not in contact and policy.title not in contact
    other = _login(world, "other_contact")
    assert "Globex VPN setup" not in other.get("/kb/").content.decode()
    assert other.get(f"/kb/{globex.pk}/").status_code == 404
    vendor = _login(world, "vendor_user")
    assert vendor.get(f"/kb/{staff_only.pk}/").status_code == 404
    assert vendor.get(f"/kb/{policy.pk}/").status_code == 404
    assert vendor.get(f"/kb/{everyone.pk}/").status_code == 200
    assert "Router reset" in _login(world, "contact").get("/kb/?q=router").content.decode()


def test_public_articles_need_no_sign_in(world: World) -> None:
    public = _article(world, "Opening hours", client_audience="all", is_public=True)
    private = _article(world, "Router reset", client_audience="all")
    assert "Opening hours" in Client().get(f"/kb/{public.pk}/").content.decode()
    assert Client().get(f"/kb/{private.pk}/").status_code == 302  # to sign in


def test_one_vote_per_person(world: World) -> None:
    doc = _article(world, "Router reset", client_audience="all")
    client = _login(world, "contact")
    client.post(f"/kb/{doc.pk}/vote", {"helpful": "yes"})
    client.post(f"/kb/{doc.pk}/vote", {"helpful": "no"})
    assert list(Vote.objects.values_list("helpful", flat=True)) == [False]
    assert "0 found it helpful, 1 did not" in client.get(f"/kb/{doc.pk}/").content.decode()


def test_suggestions_and_deflection(world: World) -> None:
    doc = _article(world, "Router keeps rebooting", client_audience="all")
    client = _login(world, "contact")
    assert "Router keeps rebooting" in client.get("/kb/suggest?subject=my router").content.decode()
    client.get(f"/kb/{doc.pk}/?from=new")
    assert Deflection.objects.get().deflected
    # Raising the request after all: not deflected.
    client.post("/portal/new", {"subject": "Router", "body": "Still broken",
                                "provider": world.support.party.pk, "priority": ""})  # fmt: skip
    assert not Deflection.objects.get().deflected
