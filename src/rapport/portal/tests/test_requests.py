"""A client raises a request, follows it, replies, resolves and reopens it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rapport.agreements import actions as agreement_actions
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Message, Ticket


def signed_in(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_submit_a_request_with_an_attachment(world: World) -> None:
    browser = signed_in(world, "contact")
    form = browser.get("/portal/new").content.decode()
    assert "Customer Support (Globex support)" in form
    assert "IT Service Desk" not in form  # Globex has no agreement with IT
    assert 'id="id_priority"' not in form  # the agreement sets the priority
    screenshot = SimpleUploadedFile("screen.png", b"\x89PNG...", content_type="image/png")
    response = browser.post("/portal/new", {
        "provider": world.support.party_id, "subject": "Checkout fails",
        "body": "Cards are refused", "attachments": [screenshot],
    })  # fmt: skip
    ticket = Ticket.objects.get(subject="Checkout fails")
    assert response["Location"] == f"/portal/r/{ticket.pk}/"
    assert ticket.requester == world.contact and ticket.agreement == world.sla
    page = browser.get(response["Location"]).content.decode()
    assert f"Your request #{ticket.pk} was received." in page
    assert "We&#x27;re working on it" in page and "screen.png" in page


def test_priority_only_where_the_agreement_allows(world: World) -> None:
    browser = signed_in(world, "contact")
    refused = browser.post("/portal/new", {
        "provider": world.support.party_id, "subject": "Urgent!", "body": "Now", "priority": "4",
    })  # fmt: skip
    assert refused.status_code == 422
    assert "Your agreement with Customer Support sets the priority." in refused.content.decode()
    agreement_actions.update_agreement(None, world.sla, clients_choose_priority=True)
    field = browser.get(f"/portal/new/priority?provider={world.support.party_id}")
    assert 'id="id_priority"' in field.content.decode()
    browser.post("/portal/new", {
        "provider": world.support.party_id, "subject": "Urgent!", "body": "Now", "priority": "4",
    })  # fmt: skip
    assert Ticket.objects.get(subject="Urgent!").priority == 4


def test_employees_raise_internal_requests(world: World) -> None:
    browser = signed_in(world, "employee")
    form = browser.get("/portal/new").content.decode()
    assert "IT Service Desk" in form and "Customer Support" in form
    browser.post("/portal/new", {"provider": world.it.party_id, "subject": "New laptop",
                                 "body": "Mine broke"})  # fmt: skip
    ticket = Ticket.objects.get(subject="New laptop")
    assert ticket.provider_party == world.it.party and ticket.agreement == world.ola


def test_bad_requests_are_field_errors(world: World) -> None:
    browser = signed_in(world, "contact")
    cases = [
        ({"subject": "", "body": "x"}, "This field is required"),
        ({"subject": "x" * 301, "body": "x"}, "at most 300"),
        ({"subject": "   ", "body": "x"}, "This field is required"),
        ({"subject": "Hi", "body": ""}, "This field is required"),
        ({"subject": "Hi", "body": "x", "provider": world.it.party_id}, "Select a valid choice"),
        ({"subject": "Hi", "body": "x", "provider": "abc"}, "Select a valid choice"),
        ({"subject": "Hi", "body": "x", "provider": ""}, "This field is required"),
        ({"subject": "Hi", "body": "x", "priority": "9"}, "Select a valid choice"),
        ({"subject": "Hi\x00", "body": "x"}, "Null characters are not allowed"),
    ]
    for data, error in cases:
        response = browser.post("/portal/new", {"provider": world.support.party_id, **data})
        assert response.status_code == 422, data
        assert error in response.content.decode(), data
    assert not Ticket.objects.exists()


def test_reply_resolve_and_reopen(world: World) -> None:
    ticket = world.ticket("contact", subject="Slow site")
    actions.reply(world.agent, ticket, body="Cleared the cache")
    actions.add_note(world.agent, ticket, body="zanzibar: blame the CDN")
    browser = signed_in(world, "contact")
    page = browser.get(f"/portal/r/{ticket.pk}/").content.decode()
    assert "Cleared the cache" in page and "zanzibar" not in page
    browser.post(f"/portal/r/{ticket.pk}/reply", {"body": "Still slow"})
    assert Message.objects.filter(ticket=ticket, body_text="Still slow").exists()
    page = browser.post(f"/portal/r/{ticket.pk}/resolve", follow=True).content.decode()
    assert "Marked as resolved." in page and ">Resolved<" in page
    page = browser.post(f"/portal/r/{ticket.pk}/reopen", follow=True).content.decode()
    assert "Reopened." in page and "We&#x27;re working on it" in page
    # A second reopen is refused with a message, not an error page.
    page = browser.post(f"/portal/r/{ticket.pk}/reopen", follow=True).content.decode()
    assert "is not solved or closed" in page


def test_bad_replies_are_field_errors_and_html_is_cleaned(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "contact")
    for body in ("", "  ", "x" * 200_001):
        response = browser.post(f"/portal/r/{ticket.pk}/reply", {"body": body})
        assert response.status_code == 422 and 'class="errorlist"' in response.content.decode()
    browser.post(f"/portal/r/{ticket.pk}/reply", {"body": "<script>alert(1)</script>"})
    browser.post(f"/portal/r/{ticket.pk}/reply", {"body": '<img src=x onerror="alert(2)">'})
    page = browser.get(f"/portal/r/{ticket.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    new = browser.post("/portal/new", {"provider": world.support.party_id,
                                       "subject": "<script>x()</script>",
                                       "body": "<b onmouseover=x()>hi</b>"})  # fmt: skip
    page = browser.get(new["Location"]).content.decode()
    assert "<script>x()" not in page and "<b onmouseover" not in page
