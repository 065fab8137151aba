"""Every notification reaches each registered channel once per recipient, besides the
in-app list; the channels (e-mail) register themselves, the notifier never names them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rapport.notifications import delivery
from rapport.notifications.actions import notify
from rapport.notifications.queries import inbox
from rapport.testing import World


@pytest.fixture
def channels() -> Iterator[dict[str, delivery.Deliver]]:
    saved = dict(delivery._channels)
    yield delivery._channels
    delivery._channels.clear()
    delivery._channels.update(saved)


def test_mail_registers_itself_as_a_channel() -> None:
    assert "mail" in delivery._channels


def test_each_channel_hears_each_recipient_once(
    world: World, channels: dict[str, delivery.Deliver]
) -> None:
    heard: list[tuple[str, str, int | None, str]] = []
    channels.clear()
    delivery.register("pager", lambda person, kind, ticket, text: heard.append(
        (person.username, kind, ticket.pk if ticket else None, text)))  # fmt: skip
    ticket = world.ticket("contact")
    notify([world.agent, world.lead, world.agent, None], "sla_warning", ticket, "Due soon.")
    assert heard == [
        ("agent", "sla_warning", ticket.pk, "Due soon."),
        ("lead", "sla_warning", ticket.pk, "Due soon."),
    ]
    assert [n.text for n in inbox(world.agent)] == ["Due soon."]


def test_without_channels_a_notification_stays_in_the_app(
    world: World, channels: dict[str, delivery.Deliver]
) -> None:
    channels.clear()
    notify([world.agent], "handoff", None, "Have a look.")
    assert inbox(world.agent, unread_only=True).count() == 1
