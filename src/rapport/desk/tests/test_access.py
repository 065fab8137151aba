"""The desk is for staff; each agent sees only the tickets of their teams."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World

CLIENT_ROLES = ("contact", "org_admin", "employee", "vendor_user", "contractor_user")


@pytest.mark.parametrize("role", CLIENT_ROLES)
def test_clients_cannot_open_the_desk(world: World, role: str) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, role)
    pages = ("/desk/", "/desk/q/team/", f"/desk/t/{ticket.pk}/", "/desk/counts",
             f"/desk/t/{ticket.pk}/thread", "/desk/clients?client_name=glo",
             f"/desk/t/{ticket.pk}/thread?before=x", f"/desk/t/{ticket.pk}/history")  # fmt: skip
    for path in pages:
        response = browser.get(path)
        assert response.status_code == 403, path
        assert "The desk is for our staff" in response.content.decode()
    for path in (f"/desk/t/{ticket.pk}/reply", f"/desk/t/{ticket.pk}/note", "/desk/bulk",
                 f"/desk/t/{ticket.pk}/subject"):  # fmt: skip
        data = {"body": "x", "tickets": [ticket.pk], "subject": "Mine"}
        assert browser.post(path, data).status_code == 403
    assert browser.get("/", follow=True).redirect_chain[-1][0] == "/portal/"


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().get("/desk/q/team/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/q/team/"


def test_an_agent_cannot_open_another_teams_ticket(world: World) -> None:
    it_ticket = world.ticket("employee", provider=world.it.party)
    browser = signed_in(world, "agent")
    assert browser.get(f"/desk/t/{it_ticket.pk}/").status_code == 404
    assert browser.post(f"/desk/t/{it_ticket.pk}/note", {"body": "x"}).status_code == 404
    assert browser.get(f"/desk/t/{2**63}/").status_code == 404
    assert signed_in(world, "other_agent").get(f"/desk/t/{it_ticket.pk}/").status_code == 200


def test_requesting_staff_see_no_notes_of_the_team_they_asked(world: World) -> None:
    """An agent's own request to IT: they read it as a client, without IT's notes."""
    from rapport.tickets import actions

    ticket = world.ticket("agent", provider=world.it.party, subject="New laptop")
    actions.add_note(world.other_agent, ticket, body="Budget is tight")
    page = signed_in(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    assert "New laptop" in page and "Budget is tight" not in page
    assert 'id="note-form"' not in page and 'id="f-status"' not in page
