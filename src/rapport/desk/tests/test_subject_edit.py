"""Renaming a ticket from its page (htmx), through tickets.actions.set_subject."""

from __future__ import annotations

import pytest

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets.models import Event, Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_agent_renames_the_ticket(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer")
    browser = signed_in(world, "agent")
    response = browser.post(f"/desk/t/{ticket.pk}/subject", {"subject": "  Printer jams  "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="subject"' in html and "Printer jams" in html and "Subject changed." in html
    assert response["HX-Trigger"] == "ticket-changed"  # the history follows
    assert Ticket.objects.get(pk=ticket.pk).subject == "Printer jams"
    assert Event.objects.filter(ticket=ticket, kind="subject", new_value="Printer jams").exists()
    history = browser.get(f"/desk/t/{ticket.pk}/history").content.decode()
    assert "renamed it “Printer jams”" in history


def test_rename_without_script_redirects(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer")
    response = signed_in(world, "agent").post(
        f"/desk/t/{ticket.pk}/subject", {"subject": "Toner"}, follow=True
    )
    assert "Subject changed." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).subject == "Toner"


@pytest.mark.parametrize("subject", ["", "   ", "x" * 301, "x" * 5000])
def test_bad_subjects_are_field_errors(world: World, subject: str) -> None:
    ticket = world.ticket("contact", subject="Printer")
    response = signed_in(world, "agent").post(
        f"/desk/t/{ticket.pk}/subject", {"subject": subject}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="f-subject-error"' in html and 'aria-invalid="true"' in html
    assert Ticket.objects.get(pk=ticket.pk).subject == "Printer"


def test_html_in_a_subject_is_shown_as_text(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer")
    browser = signed_in(world, "agent")
    browser.post(f"/desk/t/{ticket.pk}/subject", {"subject": "<img src=x onerror=alert(1)>"})
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_only_the_provider_side_may_rename(world: World) -> None:
    handed = world.handoff()  # our team asked the vendor: the vendor provides
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{handed.pk}/").content.decode()
    assert 'id="f-subject"' not in page
    response = browser.post(f"/desk/t/{handed.pk}/subject", {"subject": "Mine now"}, **HTMX)
    assert response.status_code == 422
    assert Ticket.objects.get(pk=handed.pk).subject != "Mine now"
