"""A survey is scheduled when a ticket is solved: once, credited to who answered, and
never to an address that auto-replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.directory import actions as directory
from rapport.mail.testing import build, deliver, support_mailbox
from rapport.surveys import actions as survey_actions
from rapport.surveys.models import Survey, SurveyState
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event
from rapport.tickets.testing import drain_reactions

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def solve(world: World, ticket: object) -> None:
    actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))  # type: ignore[arg-type]
    drain_reactions()  # the survey is the surveys app's reaction to the solve


def test_solving_schedules_one_survey_after_the_delay(surveyed: World) -> None:
    ticket = surveyed.ticket("contact")
    with clock.travel_to(NOON):
        solve(surveyed, ticket)
    survey = Survey.objects.get(ticket=ticket)
    assert survey.state == SurveyState.SCHEDULED
    assert survey.send_at == NOON + timedelta(minutes=5)
    assert survey.metrics == ["csat", "ces", "nps"]
    assert survey.respondent == surveyed.contact
    assert survey.provider_party_id == surveyed.support.party_id
    assert survey.agreement == surveyed.sla
    assert Event.objects.filter(ticket=ticket, kind="survey").count() == 1


def test_at_most_once_per_ticket(surveyed: World) -> None:
    ticket = surveyed.ticket("contact")
    solve(surveyed, ticket)
    actions.reopen(surveyed.contact, ticket)
    solve(surveyed, ticket)
    actions.set_status(surveyed.agent, ticket, actions.default_status(StatusCategory.CLOSED))
    drain_reactions()
    assert Survey.objects.filter(ticket=ticket).count() == 1


def test_the_defaults_apply_until_an_admin_saves(world: World) -> None:
    """The settings page shows CSAT an hour after the solve before anyone saves: that is
    what happens."""
    ticket = world.ticket("contact")
    with clock.travel_to(NOON):
        solve(world, ticket)
    survey = Survey.objects.get(ticket=ticket)
    assert survey.metrics == ["csat"]
    assert survey.send_at == NOON + timedelta(minutes=60)


def test_no_survey_where_the_agreement_asks_none(world: World) -> None:
    survey_actions.configure(None, world.sla, enabled=False)
    ticket = world.ticket("contact")
    solve(world, ticket)
    assert not Survey.objects.filter(ticket=ticket).exists()


def test_credited_to_the_agent_who_actually_answered(surveyed: World) -> None:
    ticket = surveyed.ticket("contact")
    actions.assign(surveyed.agent, ticket, surveyed.agent)
    actions.reply(surveyed.lead, ticket, body="Fixed: new toner.")
    actions.add_note(surveyed.agent, ticket, body="Lead handled it")  # notes are not answers
    solve(surveyed, ticket)
    assert Survey.objects.get(ticket=ticket).agent == surveyed.lead


def test_suppressed_for_an_address_that_sends_auto_replies(surveyed: World) -> None:
    mailbox = support_mailbox(surveyed)
    ticket = surveyed.ticket("contact")
    auto = deliver(
        build(
            subject=f"Out of office: Re: [#{ticket.pk}]", headers={"Auto-Submitted": "auto-replied"}
        ),
        mailbox,
    )
    assert auto.outcome == "auto_reply"
    solve(surveyed, ticket)
    survey = Survey.objects.get(ticket=ticket)
    assert survey.state == SurveyState.SUPPRESSED
    assert "auto-replies" in survey.reason


def test_suppressed_without_an_address(surveyed: World) -> None:
    person = directory.create_person(None, username="noemail", email="", full_name="No Mail")
    directory.add_org_member(None, surveyed.customer, person)
    ticket = actions.create_ticket(
        surveyed.agent, requester=person, subject="Phone call", body="Called in",
        provider=surveyed.support.party,
    )  # fmt: skip
    solve(surveyed, ticket)
    assert Survey.objects.get(ticket=ticket).state == SurveyState.SUPPRESSED


def test_disabled_settings_send_nothing(surveyed: World) -> None:
    from rapport.surveys import actions as survey_actions

    survey_actions.configure(None, surveyed.sla, enabled=False)
    ticket = surveyed.ticket("contact")
    solve(surveyed, ticket)
    assert not Survey.objects.filter(ticket=ticket).exists()
