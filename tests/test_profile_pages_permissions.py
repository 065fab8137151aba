"""Who may open the profile pages and write staff-only notes: every role × every
profile route. Staff read and write; clients, employees and vendor or contractor users
get the forbidden page and never read a note anywhere; the anonymous sign in first."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.core.errors import PermissionDenied
from rapport.desk import actions as desk_actions
from rapport.testing import ROLES, World

STAFF = ("admin", "manager", "agent", "lead", "other_agent")
NOTE = "Zanzibar budget holder"  # a phrase only the staff note holds


def _browser(world: World, role: str) -> Client:
    browser = Client()
    if role != "anonymous":
        browser.force_login(world.people[role])
    return browser


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_profile_routes_by_role(world: World, role: str) -> None:
    ticket = world.ticket("contact")
    desk_actions.add_client_note(world.agent, party=world.customer.party, body=NOTE)
    desk_actions.add_client_note(world.agent, person=world.contact, body=NOTE)
    browser = _browser(world, role)
    reads = (
        f"/desk/clients/{world.customer.party_id}/", f"/desk/people/{world.contact.pk}/",
        f"/desk/clients/{world.vendor.party_id}/", f"/desk/people/{world.agent.pk}/",
    )  # fmt: skip
    writes = (f"/desk/clients/{world.customer.party_id}/notes",
              f"/desk/people/{world.contact.pk}/notes")  # fmt: skip
    for path in reads:
        answer = browser.get(path)
        if role in STAFF:
            assert answer.status_code == 200, path
        elif role == "anonymous":
            assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
        else:
            assert answer.status_code == 403, path
            assert NOTE not in answer.content.decode()
    for path in writes:
        answer = browser.post(path, {"body": f"Written by {role}"})
        assert answer.status_code == (302 if role in STAFF else 302 if role == "anonymous"
                                      else 403), path  # fmt: skip
    # What the client side reads of the same ticket carries no note.
    if role not in STAFF and role != "anonymous":
        for path in ("/portal/", f"/portal/r/{ticket.pk}/"):
            assert NOTE not in browser.get(path).content.decode()


@pytest.mark.parametrize("role", STAFF)
def test_an_unknown_id_is_not_found(world: World, role: str) -> None:
    browser = _browser(world, role)
    for path in ("/desk/clients/999999/", "/desk/people/999999/",
                 f"/desk/clients/{2**63}/", "/desk/clients/999999/notes"):  # fmt: skip
        answer = browser.post(path, {"body": "x"}) if path.endswith("notes") else browser.get(path)
        assert answer.status_code == 404, path


def test_only_staff_may_write_a_note(world: World) -> None:
    with pytest.raises(PermissionDenied):
        desk_actions.add_client_note(world.contact, party=world.customer.party, body="x")
    with pytest.raises(PermissionDenied):
        desk_actions.add_client_note(world.vendor_user, person=world.contact, body="x")
