"""Every subscriber sees each event of its kinds once per drain, in order per ticket,
from its stored cursor; running a batch again changes nothing users notice."""

from __future__ import annotations

from rapport.core.choices import StatusCategory
from rapport.mail.models import OutboundMessage
from rapport.notifications.models import Notification
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Event, ReactionCursor
from rapport.tickets.testing import drain_reactions

from .conftest import Recorder


def test_events_reach_a_subscriber_in_order_and_once(world: World, recorder: Recorder) -> None:
    first, second = world.ticket("contact"), world.ticket("colleague")
    actions.tag(world.agent, first, ["printer"])
    actions.tag(world.agent, second, ["network"])
    actions.untag(world.agent, first, ["printer"])
    actions.tag(world.agent, first, ["urgent"])
    drain_reactions()
    assert recorder.seen == [
        (first.pk, "tagged", "printer"),
        (second.pk, "tagged", "network"),
        (first.pk, "untagged", "printer"),
        (first.pk, "tagged", "urgent"),
    ]
    drain_reactions()  # nothing new: the cursor remembers
    assert len(recorder.seen) == 4
    actions.tag(world.agent, second, ["later"])
    drain_reactions()
    assert recorder.seen[4:] == [(second.pk, "tagged", "later")]
    cursor = ReactionCursor.objects.get(subscriber="test.record")
    assert cursor.position == Event.objects.order_by("-pk").values_list("pk", flat=True)[0]


def test_a_batch_run_twice_mails_surveys_and_notifies_once(world: World) -> None:
    """At least once means a batch may run again after a crash: the reactions of
    surveys, the service chain and mail are idempotent."""
    from rapport.surveys import actions as survey_actions

    survey_actions.configure(None, world.sla)
    ticket = world.ticket("contact")
    actions.assign(world.agent, ticket, world.agent)
    child = actions.create_ticket(
        world.agent, subject="Toner", body="Send toner.", provider=world.vendor.party,
        parent=ticket,
    )  # fmt: skip
    actions.reply(world.agent, ticket, body="On it.")
    actions.set_status(world.vendor_user, child, actions.default_status(StatusCategory.SOLVED))
    actions.set_status(world.agent, ticket, actions.default_status(StatusCategory.SOLVED))
    drain_reactions()

    def effects() -> tuple[int, int, int, int]:
        return (
            Survey.objects.filter(ticket=ticket).count(),
            Event.objects.filter(ticket=ticket, kind="child_solved").count(),
            Notification.objects.filter(kind="child_solved").count(),
            OutboundMessage.objects.count(),
        )

    once = effects()
    assert once[:3] == (1, 1, 1) and once[3] >= 2  # the contact's and the agent's mail
    ReactionCursor.objects.update(position=0)  # as if the pass had never committed
    drain_reactions()
    assert effects() == once
