"""A request raised without naming a client is raised for the requester's organisation:
a customer before a contractor or vendor, the one joined first among equals."""

from __future__ import annotations

from typing import Any

from rapport.directory import actions as directory
from rapport.testing import World
from rapport.tickets.actions import default_client_party


def _raise(world: World, role: str) -> Any:
    body = {"subject": "Toner", "body": "Empty again.", "provider": world.support.party_id}
    response = world.client(role).post_json("/api/v1/tickets", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_vendor_user_who_is_also_a_customer_contact_asks_as_the_customer(world: World) -> None:
    directory.add_org_member(None, world.customer, world.vendor_user)
    data = _raise(world, "vendor_user")
    assert data["client"] == {"id": world.customer.party_id, "name": "Globex", "kind": "customer"}
    assert default_client_party(world.vendor_user, world.support.party).pk == data["client"]["id"]


def test_a_contact_of_two_customers_asks_as_the_one_joined_first(world: World) -> None:
    directory.add_org_member(None, world.other_customer, world.contact)
    data = _raise(world, "contact")
    assert data["client"]["id"] == world.customer.party_id
    assert data["agreement"]["name"] == "Globex support"
    assert default_client_party(world.contact, world.support.party).pk == world.customer.party_id


def test_staff_without_an_outside_organisation_ask_as_their_team(world: World) -> None:
    data = _raise(world, "other_agent")
    assert data["client"]["id"] == world.it.party_id
