"""Who sees which requests in the portal; internal notes never appear there."""

from __future__ import annotations

import re

from django.test import Client

from rapport.testing import World
from rapport.tickets import actions


def signed_in(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def _listed(browser: Client, query: str = "") -> list[int]:
    page = browser.get(f"/portal/{query}").content.decode()
    return [int(n) for n in re.findall(r'href="/portal/r/(\d+)/"', page)]


def test_each_person_sees_their_own_requests(world: World) -> None:
    mine = world.ticket("contact")
    colleague = world.ticket("colleague")
    other = world.ticket("other_contact")
    assert _listed(signed_in(world, "contact")) == [mine.pk]
    assert _listed(signed_in(world, "other_contact")) == [other.pk]
    contact = signed_in(world, "contact")
    for hidden in (colleague, other):
        assert contact.get(f"/portal/r/{hidden.pk}/").status_code == 404
        assert contact.post(f"/portal/r/{hidden.pk}/reply", {"body": "hi"}).status_code == 404
    assert contact.get(f"/portal/r/{2**64}/").status_code == 404


def test_org_admins_see_their_organisations_requests(world: World) -> None:
    mine = world.ticket("contact")
    colleague = world.ticket("colleague")
    world.ticket("other_contact")
    admin = signed_in(world, "org_admin")
    assert "My organisation&#x27;s requests" in admin.get("/portal/").content.decode()
    assert _listed(admin, "?tab=organisation") == [colleague.pk, mine.pk]
    assert "My organisation" not in signed_in(world, "contact").get("/portal/").content.decode()
    # Asking for a tab one may not have falls back to one's own requests.
    assert _listed(signed_in(world, "contact"), "?tab=organisation") == [mine.pk]


def test_vendor_users_see_only_what_was_handed_to_them(world: World) -> None:
    handed = world.handoff(body="Please send a technician")
    actions.add_note(world.agent, handed, body="zanzibar: they are slow")
    world.ticket("contact")
    vendor = signed_in(world, "vendor_user")
    assert _listed(vendor, "?tab=handed") == [handed.pk]
    page = vendor.get(f"/portal/r/{handed.pk}/").content.decode()
    assert "Please send a technician" in page and "zanzibar" not in page
    assert "Reply to Agent" in page  # they answer as the provider
    vendor.post(f"/portal/r/{handed.pk}/reply", {"body": "Technician comes Monday"})
    message = handed.messages.get(body_text="Technician comes Monday")
    assert message.author_side == "provider"
    assert _listed(signed_in(world, "contractor_user"), "?tab=handed") == []


def test_staff_opening_the_portal_see_no_notes(world: World) -> None:
    ticket = world.ticket("contact")
    actions.add_note(world.agent, ticket, body="zanzibar")
    page = signed_in(world, "admin").get(f"/portal/r/{ticket.pk}/").content.decode()
    assert "The printer on floor 2 is on fire." in page and "zanzibar" not in page


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    assert Client().get("/portal/").status_code == 302


def test_vendor_users_see_the_clocks_they_are_measured_by(world: World) -> None:
    handed = world.handoff()
    assert handed.agreement is not None  # PrintCo's UC applies
    vendor = signed_in(world, "vendor_user")
    listing = vendor.get("/portal/?tab=handed").content.decode()
    assert '<th scope="col">Due</th>' in listing
    assert re.search(r'class="sla-badge sla-\w+"[^>]*><time [^>]*>First response in ', listing)
    page = vendor.get(f"/portal/r/{handed.pk}/").content.decode()
    assert "Service levels" in page and "First response" in page and "due <time" in page
    # The customer is not shown the clocks of the agreement that measures us.
    mine = world.ticket("contact")
    assert mine.agreement is not None
    contact = signed_in(world, "contact")
    assert "Service levels" not in contact.get(f"/portal/r/{mine.pk}/").content.decode()
    assert "sla-badge" not in contact.get("/portal/").content.decode()
