"""Change proposals: three required fields, a ticket to the owning team, the owner's
decision told to the proposer."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.agreements import actions as agreement_actions
from rapport.core.errors import Invalid, NotFound
from rapport.notifications.models import Notification
from rapport.policies import actions
from rapport.policies.models import ProposalStatus, Status
from rapport.policies.tests.libworld import published_policy
from rapport.sla.models import TicketClock
from rapport.testing import World
from rapport.tickets.models import Message


@pytest.mark.parametrize("missing", ["what_is_wrong", "why", "proposed_fix"])
def test_all_three_fields_are_required(world: World, missing: str) -> None:
    doc = published_policy(world)
    fields = {"what_is_wrong": "Cap too low", "why": "Customers wait", "proposed_fix": "80 EUR"}
    fields[missing] = "  "
    with pytest.raises(Invalid) as exc:
        actions.file_proposal(world.agent, doc, **fields)
    assert exc.value.field == missing


def test_a_proposal_is_a_measured_ticket_to_the_owning_team(world: World) -> None:
    doc = published_policy(world)
    shown = world.ticket("contact")
    ola = agreement_actions.create_agreement(
        None, name="Policy change requests", kind="ola", provider=world.support.party,
        client=world.own.party, calendar=world.calendar, active_from=date(2020, 1, 1),
        targets=[{"priority": "normal", "first_response_minutes": 480,
                  "resolution_minutes": 4800}],
    )  # fmt: skip
    proposal = actions.file_proposal(
        world.other_agent, doc, what_is_wrong="Cap too low", why="Customers wait a day",
        proposed_fix="Raise the cap to 80 EUR", clause="Who may refund", tickets=[],
    )  # fmt: skip
    ticket = proposal.ticket
    assert ticket.provider_party_id == world.support.party.pk
    assert ticket.requester == world.other_agent
    assert "Raise the cap to 80 EUR" in ticket.messages.get().body_text
    # Measured like any request: under the team's agreement, with its clocks.
    assert ticket.agreement == ola
    assert TicketClock.objects.filter(ticket=ticket).exists()
    assert Notification.objects.filter(recipient=world.manager, kind="proposal").exists()
    # A ticket the proposer cannot see cannot be linked.
    with pytest.raises(NotFound):
        actions.file_proposal(world.other_agent, doc, what_is_wrong="a", why="b",
                              proposed_fix="c", tickets=[shown])  # fmt: skip


def test_accepting_starts_a_linked_draft_and_tells_the_proposer(world: World) -> None:
    doc = published_policy(world)
    proposal = actions.file_proposal(world.agent, doc, what_is_wrong="a", why="b",
                                     proposed_fix="c")  # fmt: skip
    version = actions.accept(world.manager, proposal)
    assert (version.status, version.number, version.proposal) == (Status.DRAFT, 2, proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    reply = Message.objects.filter(ticket=proposal.ticket, is_internal=False).last()
    assert reply is not None and "accepted" in reply.body_text
    proposal.ticket.refresh_from_db()
    assert proposal.ticket.status_category == "solved"


def test_declining_needs_a_reason(world: World) -> None:
    doc = published_policy(world)
    proposal = actions.file_proposal(world.agent, doc, what_is_wrong="a", why="b",
                                     proposed_fix="c")  # fmt: skip
    with pytest.raises(Invalid) as exc:
        actions.decline(world.manager, proposal, reason="")
    assert exc.value.field == "reason"
    actions.decline(world.manager, proposal, reason="Legal requires the cap")
    reply = Message.objects.filter(ticket=proposal.ticket, is_internal=False).last()
    assert reply is not None and "Legal requires the cap" in reply.body_text


def test_merging_into_another_proposal(world: World) -> None:
    doc = published_policy(world)
    first = actions.file_proposal(world.agent, doc, what_is_wrong="a", why="b", proposed_fix="c")
    second = actions.file_proposal(world.lead, doc, what_is_wrong="d", why="e", proposed_fix="f")
    actions.merge(world.manager, second, first)
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (ProposalStatus.MERGED, first)


def test_a_client_proposes_on_an_article_it_can_see_only(world: World) -> None:
    article = actions.create_document(
        world.agent,
        kind="article",
        title="Reset the router",
        body="Unplug it.",
        owner=world.agent,
        team=world.support,
        client_audience="chosen",
        client_orgs=[world.customer],
    )
    actions.publish(world.agent, article.versions.get())
    proposal = actions.file_proposal(
        world.contact,
        article,
        what_is_wrong="Step 2 missing",
        why="I was stuck",
        proposed_fix="Add: wait 30 seconds",
    )
    assert proposal.ticket.requester == world.contact
    with pytest.raises(NotFound):
        actions.file_proposal(world.other_contact, article, what_is_wrong="a", why="b",
                              proposed_fix="c")  # fmt: skip
    policy = published_policy(world, title="Internal refunds")
    with pytest.raises(NotFound):
        actions.file_proposal(world.contact, policy, what_is_wrong="a", why="b", proposed_fix="c")
