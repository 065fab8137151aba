"""Solving a ticket whose hand-offs are still open asks first; confirmed, it solves."""

from __future__ import annotations

from rapport.chain import actions as chain_actions
from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets.models import Ticket


def test_solving_a_parent_with_an_open_handoff_asks_for_confirmation(world: World) -> None:
    parent = world.ticket("contact")
    child = chain_actions.hand_off(
        world.agent, parent, provider=world.vendor.party, subject="Send a technician",
        note="Please.",
    )  # fmt: skip
    browser = signed_in(world, "agent")
    htmx = {"HTTP_HX_REQUEST": "true"}
    asked = browser.post(f"/desk/t/{parent.pk}/status", {"status": "solved"}, **htmx)
    assert asked.status_code == 422
    text = asked.content.decode()
    assert f"1 hand-off is still open: #{child.pk} (PrintCo)" in text
    assert "data-confirm-solve" in text
    parent.refresh_from_db()
    assert parent.status.slug != "solved"
    done = browser.post(
        f"/desk/t/{parent.pk}/status", {"status": "solved", "confirm": "on"}, **htmx
    )
    assert done.status_code == 200
    assert Ticket.objects.get(pk=parent.pk).status.slug == "solved"


def test_without_open_handoffs_it_solves_at_once(world: World) -> None:
    parent = world.ticket("contact")
    browser = signed_in(world, "agent")
    answer = browser.post(
        f"/desk/t/{parent.pk}/status", {"status": "solved"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert Ticket.objects.get(pk=parent.pk).status.slug == "solved"
