"""GET /api/v1/tickets/{number} lists the hand-offs of a ticket that the caller may
open, and only those: the customer who raised it does not learn of internal work."""

from __future__ import annotations

from rapport.chain import actions as chain_actions
from rapport.testing import World


def test_detail_lists_only_the_children_the_caller_may_see(world: World) -> None:
    parent = world.ticket("contact", subject="Printer on fire", body="Floor 2.")
    to_it = chain_actions.hand_off(
        world.agent, parent, provider=world.it.party, subject="Power", note="Check the socket"
    )
    to_vendor = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Drum", note="Replace it"
    )
    path = f"/api/v1/tickets/{parent.pk}"
    as_agent = world.client("agent").get(path)
    assert as_agent.status_code == 200
    assert as_agent.json()["children"] == [to_it.pk, to_vendor.pk]
    as_contact = world.client("contact").get(path)
    assert as_contact.status_code == 200
    assert as_contact.json()["children"] == []
    # The vendor opens its own hand-off, whose parent it may not open.
    as_vendor = world.client("vendor_user").get(f"/api/v1/tickets/{to_vendor.pk}")
    assert as_vendor.status_code == 200
    assert as_vendor.json()["parent"] is None
