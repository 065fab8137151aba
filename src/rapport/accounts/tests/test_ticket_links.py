"""The ticket link in notification mail (`/tickets/N`) opens the ticket where the
reader works: the desk for staff, the portal for the client; signed out, it asks to
sign in first and comes back."""

from __future__ import annotations

from django.test import Client

from rapport.testing import World


def test_mail_links_open_the_ticket_for_each_reader(world: World) -> None:
    ticket = world.ticket("contact")
    agent, contact = Client(), Client()
    agent.force_login(world.agent)
    contact.force_login(world.contact)
    assert agent.get(f"/tickets/{ticket.pk}", follow=True).redirect_chain[-1][0] == (
        f"/desk/t/{ticket.pk}/"
    )
    page = contact.get(f"/tickets/{ticket.pk}", follow=True)
    assert page.redirect_chain[-1][0] == f"/portal/r/{ticket.pk}/" and page.status_code == 200
    signed_out = Client().get(f"/tickets/{ticket.pk}")
    assert signed_out["Location"] == f"/accounts/login/?next=/tickets/{ticket.pk}"


def test_someone_elses_ticket_is_still_not_found(world: World) -> None:
    ticket = world.ticket("contact")
    other = Client()
    other.force_login(world.other_contact)
    assert other.get(f"/tickets/{ticket.pk}", follow=True).status_code == 404
