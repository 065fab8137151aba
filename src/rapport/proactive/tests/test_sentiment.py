"""Clients' messages are scored when written; the polarity matches what a reader feels."""

from __future__ import annotations

import pytest

from rapport.proactive.actions import refresh_mood
from rapport.proactive.models import TicketMood
from rapport.proactive.sentiment import SOUR_BELOW, is_sour, score
from rapport.testing import build_world
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Message
from rapport.tickets.testing import drain_reactions

# Real-looking support sentences and the polarity a support agent would read in them.
SENTENCES = [
    ("Thanks so much, that fixed it! You're a star.", "positive"),
    ("Great, it works perfectly now. Much appreciated.", "positive"),
    ("Thank you for the quick answer, I really appreciate your help.", "positive"),
    ("Brilliant support as always, thanks team!", "positive"),
    ("Could you please reset my password? Thanks.", "positive"),
    ("This is unacceptable. I have asked three times and nobody has answered.", "negative"),
    ("I am extremely disappointed with your service.", "negative"),
    ("Still broken. This is ridiculous, we are losing money every hour.", "negative"),
    ("Your last update made everything worse and I am furious.", "negative"),
    ("Terrible experience, I want to cancel our contract.", "negative"),
    ("Nobody has bothered to reply for a week. Awful.", "negative"),
    ("I'm not happy with how this was handled.", "negative"),
    ("The order was placed on Tuesday.", "neutral"),
    ("The meeting room is on the third floor.", "neutral"),
    ("Our office opens at 9 on Mondays.", "neutral"),
]


@pytest.mark.parametrize(("text", "polarity"), SENTENCES)
def test_polarity_of_support_sentences(text: str, polarity: str) -> None:
    value = score(text)
    assert value is not None and -1 <= value <= 1
    if polarity == "positive":
        assert value >= 0.05, (text, value)
    elif polarity == "negative":
        assert value <= -0.05, (text, value)
    else:
        assert -0.05 < value < 0.05, (text, value)


def test_nothing_to_score_is_none() -> None:
    assert score("") is None
    assert score("   \n 1234 ...") is None


def test_a_long_message_is_scored_within_bounds() -> None:
    long = "The server is down again and we are furious. " * 500
    value = score(long)
    assert value is not None and value < -0.3


@pytest.mark.parametrize(
    ("scores", "sour"),
    [
        ([], False),
        ([0.5], False),
        ([0.5, 0.2], False),  # one drop is not a trend
        ([0.5, 0.2, -0.1], True),  # each more negative than the one before
        ([0.5, -0.2, -0.2], False),  # level, not falling
        ([0.1, 0.3, 0.2], False),
        ([0.4, SOUR_BELOW - 0.01], True),  # one message angry enough on its own
        ([0.6, None, 0.3, 0.0], True),  # unscored messages are skipped
        ([-0.9, -0.4], False),  # it was bad but the last message is recovering
    ],
)
def test_going_sour(scores: list[float | None], sour: bool) -> None:
    assert is_sour(scores) is sour


def test_client_messages_carry_their_score_when_written(db: None) -> None:
    world = build_world()
    ticket = world.ticket(body="Thanks a lot, the new laptop is great!")
    first = Message.objects.get(ticket=ticket)
    assert first.sentiment is not None and first.sentiment > 0.3
    reply = ticket_actions.reply(world.contact, ticket, body="This is awful, it broke again.")
    answer = ticket_actions.reply(world.agent, ticket, body="Sorry, this is terrible news.")
    reply.refresh_from_db()
    answer.refresh_from_db()
    assert reply.sentiment is not None and reply.sentiment < -0.3
    assert answer.sentiment is None  # the provider's messages are not the client's mood
    note = ticket_actions.add_note(world.agent, ticket, body="Awful client.")
    assert note.sentiment is None


def test_the_ticket_goes_sour_and_recovers(db: None) -> None:
    world = build_world()
    ticket = world.ticket(body="Hi, the printer is fine but could you add toner? Thanks!")
    drain_reactions()
    assert TicketMood.objects.get(ticket=ticket).sour is False
    ticket_actions.reply(world.contact, ticket, body="Any news? It is still not done.")
    ticket_actions.reply(world.contact, ticket, body="This is ridiculous. Terrible service.")
    drain_reactions()
    mood = TicketMood.objects.get(ticket=ticket)
    assert mood.sour is True and len(mood.scores) == 3
    ticket_actions.reply(world.contact, ticket, body="Thanks, it works now, great job!")
    drain_reactions()
    drain_reactions()  # replayed: the same result
    assert TicketMood.objects.get(ticket=ticket).sour is False
    assert refresh_mood(ticket).scores == TicketMood.objects.get(ticket=ticket).scores
