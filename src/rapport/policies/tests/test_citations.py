"""Citations on tickets, and a draft article from a solved ticket, anonymised."""

from __future__ import annotations

import pytest

from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.policies import actions, queries
from rapport.policies.models import Status
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event


def test_citing_lists_on_both_sides(world: World) -> None:
    doc = published_policy(world, kind="procedure", title="Returns")
    ticket = world.ticket("contact")
    actions.cite(world.agent, ticket, doc, clause="Who may refund")
    assert [c.ticket_id for c in queries.citing(doc)] == [ticket.pk]
    assert ticket.citations.get().clause == "Who may refund"
    assert Event.objects.filter(ticket=ticket, kind="cited").exists()
    with pytest.raises(PermissionDenied):
        actions.cite(world.contact, ticket, doc)


def test_drafts_cannot_be_cited(world: World) -> None:
    doc = actions.create_document(world.manager, kind="procedure", title="Returns", body="x",
                                  owner=world.manager, team=world.support)  # fmt: skip
    with pytest.raises(Invalid):
        actions.cite(world.agent, world.ticket("contact"), doc)


def test_draft_article_from_a_solved_ticket_is_anonymised(world: World) -> None:
    contact = world.contact
    ticket = world.ticket("contact", subject="Router keeps rebooting",
                          body=f"Hi, {contact.full_name} here, call me on +49 30 1234 5678 "
                               f"or {contact.email}.")  # fmt: skip
    with pytest.raises(Conflict):
        actions.draft_article_from_ticket(world.agent, ticket)
    ticket_actions.reply(
        world.agent,
        ticket,
        body="Update the firmware to 2.1.",
        status=ticket_actions.default_status(StatusCategory.SOLVED),
    )
    ticket_actions.add_note(world.agent, ticket, body="Internal: customer was rude")
    doc = actions.draft_article_from_ticket(world.agent, ticket)
    body = doc.versions.get().body_md
    assert doc.kind == "article" and doc.status == Status.DRAFT
    assert "Update the firmware to 2.1." in body
    for secret in (contact.full_name, contact.email, "1234 5678", "rude"):
        assert secret not in body
