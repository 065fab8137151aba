"""Survey e-mails and their one-click links: signed, expiring, idempotent, no sign-in."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.mail.testing import SmtpSink
from rapport.surveys import actions, links
from rapport.surveys.models import Survey, SurveyState
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Event, Ticket
from rapport.tickets.testing import drain_reactions

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def solved(world: World) -> Ticket:
    ticket = world.ticket("contact")
    ticket_actions.reply(world.agent, ticket, body="Replaced the fuser.")
    with clock.travel_to(NOON):
        ticket_actions.set_status(
            world.agent, ticket, ticket_actions.default_status(StatusCategory.SOLVED)
        )
    drain_reactions()  # the survey is the surveys app's reaction to the solve
    return ticket


def mailed_links(sink: SmtpSink) -> list[str]:
    (mail,) = [m for m in sink.messages if "How did we do" in m["Subject"]]
    text = mail.get_body(("plain",)).get_content()
    return re.findall(r"https?://\S+", text)


def test_the_survey_goes_out_after_the_delay_once(surveyed: World, sink: SmtpSink) -> None:
    ticket = solved(surveyed)
    assert actions.send_due(NOON + timedelta(minutes=4)) == 0
    assert actions.send_due(NOON + timedelta(minutes=5)) == 1
    assert actions.send_due(NOON + timedelta(minutes=6)) == 0
    from rapport.mail.models import OutboundMessage
    from rapport.mail.outbound import send

    for row in OutboundMessage.objects.filter(kind="survey"):
        send(row.pk)
    urls = mailed_links(sink)
    mail = next(m for m in sink.messages if "How did we do" in m["Subject"])
    assert mail["To"] == "contact@example.com"
    assert mail["Auto-Submitted"] == "auto-replied"
    assert f"[#{ticket.pk}]" in mail["Subject"]
    # 5 CSAT + 7 CES + 11 NPS one-click links and one to the survey page.
    assert len(urls) == 5 + 7 + 11 + 1
    assert Survey.objects.get(ticket=ticket).state == SurveyState.SENT


def test_reopened_before_sending_is_not_sent(surveyed: World) -> None:
    ticket = solved(surveyed)
    ticket_actions.reopen(surveyed.contact, ticket)
    assert actions.send_due(NOON + timedelta(hours=1)) == 0
    survey = Survey.objects.get(ticket=ticket)
    assert survey.state == SurveyState.SUPPRESSED
    assert "reopened" in survey.reason


def test_one_click_records_without_signing_in_and_is_idempotent(surveyed: World) -> None:
    ticket = solved(surveyed)
    survey = Survey.objects.get(ticket=ticket)
    actions.send_due(NOON + timedelta(hours=1))
    url = links.rating_url(survey.pk, "csat", 5).split("8000", 1)[1]
    browser = Client()
    first = browser.get(url)
    assert first.status_code == 302
    page = browser.get(first["Location"])
    assert page.status_code == 200 and b"How did we do?" in page.content
    survey.refresh_from_db()
    assert (survey.state, survey.csat) == (SurveyState.ANSWERED, 5)
    answered_at = survey.answered_at
    assert browser.get(url).status_code == 302  # the same click again
    survey.refresh_from_db()
    assert survey.answered_at == answered_at
    assert Event.objects.filter(ticket=ticket, kind="survey_answer").count() == 1
    # A different click is a change of mind: the new answer replaces the old.
    browser.get(links.rating_url(survey.pk, "csat", 2).split("8000", 1)[1])
    survey.refresh_from_db()
    assert survey.csat == 2


def test_comment_from_the_survey_page(surveyed: World) -> None:
    survey = Survey.objects.get(ticket=solved(surveyed))
    url = links.survey_url(survey.pk).split("8000", 1)[1]
    answer = Client().post(url, {"nps": "9", "ces": "6", "comment": "<b>Quick</b> and kind"})
    assert answer.status_code == 200 and b"Thank you" in answer.content
    survey.refresh_from_db()
    assert (survey.nps, survey.ces, survey.comment) == (9, 6, "<b>Quick</b> and kind")
    bad = Client().post(url, {"nps": "11"})
    assert bad.status_code == 422 and b"from 0 to 10" in bad.content


def test_a_tampered_link_is_refused(surveyed: World) -> None:
    survey = Survey.objects.get(ticket=solved(surveyed))
    token = links.token_for(survey.pk)
    other = links.token_for(survey.pk + 1)
    # Another survey's id under this link's signature, a broken signature, garbage.
    forged = other.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (forged, token[:-2] + "xx", "not-a-token"):
        response = Client().get(f"/surveys/s/{bad}/csat/1")
        assert response.status_code == 404, bad
    survey.refresh_from_db()
    assert survey.csat is None


def test_an_out_of_range_value_is_refused(surveyed: World) -> None:
    survey = Survey.objects.get(ticket=solved(surveyed))
    token = links.token_for(survey.pk)
    assert Client().get(f"/surveys/s/{token}/csat/6").status_code == 404
    assert Client().get(f"/surveys/s/{token}/bogus/1").status_code == 404


def test_an_expired_link_says_so(surveyed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    survey = Survey.objects.get(ticket=solved(surveyed))
    url = links.rating_url(survey.pk, "csat", 4).split("8000", 1)[1]
    later = time.time() + 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().get(url)
    assert response.status_code == 410
    assert b"expired" in response.content
    survey.refresh_from_db()
    assert survey.csat is None


def test_the_portal_rating_page_is_the_requesters_own(surveyed: World) -> None:
    ticket = solved(surveyed)
    mine = Client()
    mine.force_login(surveyed.contact)
    page = mine.get(f"/portal/r/{ticket.pk}/")
    assert f"/surveys/request/{ticket.pk}/".encode() in page.content
    assert mine.post(f"/surveys/request/{ticket.pk}/", {"csat": "4"}).status_code == 200
    assert Survey.objects.get(ticket=ticket).csat == 4
    other = Client()
    other.force_login(surveyed.colleague)
    assert other.get(f"/surveys/request/{ticket.pk}/").status_code == 404
    assert other.post(f"/surveys/request/{ticket.pk}/", {"csat": "1"}).status_code == 404
    assert Survey.objects.get(ticket=ticket).csat == 4


def test_vendors_work_is_rated_by_the_agent_who_handed_it_over(world: World) -> None:
    actions.configure(None, world.uc, csat=True)
    handoff = world.handoff()
    ticket_actions.reply(world.vendor_user, handoff, body="Technician came by.")
    ticket_actions.set_status(
        world.vendor_user, handoff, ticket_actions.default_status(StatusCategory.SOLVED)
    )
    drain_reactions()
    survey = Survey.objects.get(ticket=handoff)
    assert survey.respondent == world.agent
    assert survey.provider_party_id == world.vendor.party_id
    assert survey.agent == world.vendor_user
    actions.answer(survey, actor=world.agent, ratings={"csat": 3})
    assert Survey.objects.get(ticket=handoff).csat == 3
