"""The optional spam filter: a real spamd holds spam for review, agents release it or
confirm it, and each decision is told back to spamd. Without spamd, mail is placed
as before and the settings say so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from rapport.core.errors import PermissionDenied
from rapport.mail import spam
from rapport.mail.actions import spam as spam_actions
from rapport.mail.models import InboundMessage, InboundState, Mailbox, Outcome
from rapport.mail.testing import build, deliver
from rapport.mail.tests.spamd import GTUBE, spamd
from rapport.testing import World
from rapport.tickets.models import Ticket

HAM = "Hello, the printer on floor 2 jams on every page since this morning. Can you help?"


@pytest.fixture(scope="module")
def spamd_address() -> Iterator[str]:
    with spamd() as address:
        yield address


@pytest.fixture
def filtered(spamd_address: str) -> Iterator[str]:
    with override_settings(RAPPORT_SPAMD=spamd_address):
        yield spamd_address


def test_spam_is_held_for_review_and_opens_no_ticket(filtered: str, mailbox: Mailbox) -> None:
    held = deliver(build(subject="Cheap watches", text=f"Buy now!\n{GTUBE}\n"), mailbox)
    assert (held.state, held.outcome) == (InboundState.SPAM, Outcome.SPAM)
    assert held.spam_score is not None and held.spam_score > 100
    assert Ticket.objects.count() == 0
    fine = deliver(build(text=HAM), mailbox)
    assert fine.outcome == Outcome.TICKET and fine.spam_score is not None
    assert InboundMessage.objects.count() == 2  # nothing deleted


def test_releasing_spam_places_it_and_teaches_the_filter(
    filtered: str, mailbox: Mailbox, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    real_tell = spam.tell
    monkeypatch.setattr(spam, "tell", lambda raw, kind: (told.append(kind), real_tell(raw, kind)))
    held = deliver(build(subject="Invoice", text=f"{HAM}\n{GTUBE}\n"), mailbox)
    assert held.state == InboundState.SPAM
    released = spam_actions.release(world.agent, held)
    assert (released.state, released.outcome) == (InboundState.PROCESSED, Outcome.TICKET)
    assert released.spam_feedback == "ham" and told == ["ham"]
    other = deliver(build(subject="Offer", text=f"{GTUBE}\n"), mailbox)
    confirmed = spam_actions.confirm(world.agent, other)
    assert (confirmed.state, confirmed.spam_feedback) == (InboundState.SPAM, "spam")
    assert told == ["ham", "spam"]


def test_an_agent_marks_a_placed_message_as_spam(
    filtered: str, mailbox: Mailbox, world: World
) -> None:
    placed = deliver(build(text=HAM), mailbox)
    marked = spam_actions.mark_spam(world.agent, placed)
    assert marked.spam_feedback == "spam"
    with pytest.raises(PermissionDenied):
        spam_actions.mark_spam(world.contact, placed)
    with pytest.raises(PermissionDenied):
        spam_actions.release(world.contact, placed)


def test_spamd_learns_what_it_is_told(filtered: str) -> None:
    raw = build(subject="Quarterly numbers", text=HAM)
    assert spam.tell(raw, "spam") is True  # learned into spamd's Bayes database
    assert spam.tell(raw, "spam") is False  # known already: nothing new


def test_without_spamd_mail_is_placed_as_before(mailbox: Mailbox) -> None:
    with override_settings(RAPPORT_SPAMD=""):
        inbound = deliver(build(text=f"{GTUBE}\n"), mailbox)
        assert inbound.outcome == Outcome.TICKET and inbound.spam_score is None
        assert "No spam filter is configured" in spam.status()


def test_an_unreachable_spamd_loses_no_mail(mailbox: Mailbox) -> None:
    with override_settings(RAPPORT_SPAMD="127.0.0.1:9"):
        inbound = deliver(build(text=HAM), mailbox)
        assert inbound.outcome == Outcome.TICKET
        assert "not answering" in spam.status()


def test_agents_review_held_spam_on_its_page(filtered: str, mailbox: Mailbox, world: World) -> None:
    held = deliver(build(subject="Prize waiting", text=f"{HAM}\n{GTUBE}\n"), mailbox)
    browser = Client()
    browser.force_login(world.agent)
    page = browser.get("/settings/mail/spam").content.decode()
    assert "Prize waiting" in page and "Every inbound message is checked by spamd" in page
    response = browser.post(f"/settings/mail/spam/{held.pk}/not-spam")
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.state, held.outcome) == (InboundState.PROCESSED, Outcome.TICKET)
    assert f'data-held="{held.pk}"' not in browser.get("/settings/mail/spam").content.decode()


def test_agents_mark_spam_through_the_api(filtered: str, mailbox: Mailbox, world: World) -> None:
    placed = deliver(build(text=HAM), mailbox)
    api = world.client("agent")
    response = api.post(f"/api/v1/mail/inbound/{placed.pk}/spam")
    assert response.status_code == 200, response.content
    assert response.json()["spam_feedback"] == "spam"
    held = deliver(build(subject="Offer", text=f"{GTUBE}\n"), mailbox)
    listed = api.get("/api/v1/mail/spam").json()["items"]
    assert [i["id"] for i in listed] == [held.pk]
    assert world.client("contact").get("/api/v1/mail/spam").status_code == 403
