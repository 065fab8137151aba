"""Kudos to a person or a team (team to team too), values, walls and counts; customer
compliments offered to the agent's lead and passed on in one click."""

from __future__ import annotations

import pytest

from rapport.core.choices import StatusCategory
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.notifications.models import Notification
from rapport.people import kudos_queries as queries
from rapport.people.actions import recognition
from rapport.people.models import Compliment, Kudos
from rapport.surveys import actions as survey_actions
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.testing import drain_reactions


def test_kudos_to_a_person_and_team_to_team(world: World) -> None:
    value = recognition.create_value(world.admin, name="Ownership")
    k = recognition.give_kudos(world.lead, to_person=world.agent, message="Saved the day",
                               value=value)  # fmt: skip
    assert Notification.objects.filter(recipient=world.agent, kind="kudos").exists()
    # IT thanks Support (an internal client thanking the team that served it).
    team = recognition.give_kudos(world.other_agent, from_team=world.it, to_team=world.support,
                                  message="Quick laptop swap")  # fmt: skip
    assert queries.team_edges() == {(world.it.party_id, world.support.party_id): 1}
    assert queries.team_counts([world.support.pk, world.it.pk]) == {
        world.support.pk: (0, 2), world.it.pk: (1, 0)}  # fmt: skip
    assert queries.person_counts([world.agent.pk, world.lead.pk]) == {
        world.agent.pk: (0, 1), world.lead.pk: (1, 0)}  # fmt: skip
    assert list(queries.wall(team_id=world.support.pk)) == [team, k]
    assert list(queries.wall(team_id=world.it.pk)) == []


def test_kudos_rules(world: World) -> None:
    with pytest.raises(PermissionDenied):
        recognition.give_kudos(world.contact, to_person=world.agent, message="Thanks")
    with pytest.raises(Invalid):
        recognition.give_kudos(world.agent, to_person=world.agent, message="Me!")
    with pytest.raises(PermissionDenied):  # not their team to speak for
        recognition.give_kudos(world.agent, from_team=world.it, to_team=world.support,
                               message="x")  # fmt: skip
    with pytest.raises(Invalid):
        recognition.give_kudos(world.agent, to_person=world.lead, message="  ")
    with pytest.raises(NotFound):
        recognition.give_kudos(world.agent, to_person=world.contact, message="Thanks")
    with pytest.raises(PermissionDenied):
        recognition.create_value(world.agent, name="Speed")


def test_a_customer_compliment_is_passed_on_in_one_click(world: World) -> None:
    survey_actions.configure(None, world.sla, csat=True)
    ticket = world.ticket("contact")
    ticket_actions.assign(world.agent, ticket, world.agent)
    solved = ticket_actions.default_status(StatusCategory.SOLVED)
    ticket_actions.reply(world.agent, ticket, body="Fixed.", status=solved)
    drain_reactions()
    survey = Survey.objects.get(ticket=ticket)
    survey_actions.answer(survey, actor=world.contact, ratings={"csat": 5},
                          comment="Anna was wonderful")  # fmt: skip
    drain_reactions()
    drain_reactions()
    compliment = Compliment.objects.get(ticket=ticket)
    assert (compliment.agent, compliment.team) == (world.agent, world.support)
    assert Notification.objects.filter(recipient=world.lead, kind="compliment").exists()
    assert list(queries.offered_compliments([world.support.pk])) == [compliment]
    with pytest.raises(NotFound):  # not IT's to pass on
        recognition.pass_on_compliment(world.other_agent, compliment)
    kudos = recognition.pass_on_compliment(world.lead, compliment)
    assert kudos.to_person == world.agent and kudos.from_customer
    assert "Anna was wonderful" in kudos.message
    assert Kudos.objects.count() == 1
    assert not queries.offered_compliments(None).exists()
