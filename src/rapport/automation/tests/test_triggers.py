"""Triggers: each condition and action, order, the loop guard, and a replayed reaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rapport.automation.actions import rules
from rapport.automation.models import Firing, Rule
from rapport.automation.reactions import run_triggers
from rapport.chain.actions import hand_off
from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.core.errors import Invalid
from rapport.notifications.models import Notification
from rapport.testing import World
from rapport.tickets import actions as tickets
from rapport.tickets.models import Event, Message, Ticket
from rapport.tickets.testing import drain_reactions


def trigger(world: World, all_: list[dict[str, Any]], actions: list[dict[str, Any]],
            **kw: Any) -> Rule:  # fmt: skip
    return rules.create_rule(world.admin, "trigger", {
        "name": kw.pop("name", "T"), "conditions": {"all": all_, "any": kw.pop("any", [])},
        "actions": actions, **kw,
    })  # fmt: skip


def c(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_created_urgent_for_globex_is_assigned_and_noted(world: World) -> None:
    rule = trigger(world, [c("event_kind", "is", "created"), c("client", "is",
                   world.customer.party.pk), c("agreement_kind", "is", "sla")],
                   [{"type": "assignee", "value": world.agent.pk},
                    {"type": "priority", "value": "high"},
                    {"type": "add_tags", "value": ["globex"]},
                    {"type": "note", "value": "Routed by trigger"}],
                   name="Globex routing")  # fmt: skip
    ticket = world.ticket("contact")
    other = world.ticket("other_contact")
    drain_reactions()
    t = fresh(ticket)
    assert t.assignee_id == world.agent.pk and t.priority == Priority.HIGH
    assert set(t.tags.values_list("name", flat=True)) == {"globex"}
    assert Message.objects.filter(ticket=t, is_internal=True, body_text__contains="Routed").exists()
    fired = Event.objects.get(ticket=t, kind="trigger")
    assert fired.new_value.startswith("trigger Globex routing assigned Agent")
    assert "set priority high" in fired.new_value
    assert fresh(other).assignee_id is None  # Initech is another client
    rule.refresh_from_db()
    assert rule.hit_count == 1 and rule.last_run_at is not None


def test_any_of_conditions(world: World) -> None:
    trigger(world, [c("event_kind", "in", ["created", "priority"])],
            [{"type": "add_tags", "value": ["watch"]}],
            any=[c("priority", "is", "urgent"), c("channel", "is", "email")])  # fmt: skip
    web = world.ticket("contact")
    urgent = world.ticket("contact")
    tickets.set_priority(world.agent, urgent, Priority.URGENT)
    drain_reactions()
    assert not fresh(web).tags.exists()
    assert fresh(urgent).tags.filter(name="watch").exists()


def test_rules_run_in_order_and_later_ones_see_earlier_changes(world: World) -> None:
    trigger(world, [c("event_kind", "is", "created")], [{"type": "add_tags", "value": ["a"]}],
            name="first")  # fmt: skip
    trigger(world, [c("event_kind", "is", "created"), c("tags", "includes", "a")],
            [{"type": "priority", "value": "urgent"}], name="second")  # fmt: skip
    ticket = world.ticket("contact")
    drain_reactions()
    assert fresh(ticket).priority == Priority.URGENT
    kinds = list(
        Event.objects.filter(ticket=ticket, kind="trigger").values_list("new_value", flat=True)
    )
    assert [k.split(" ")[1] for k in kinds] == ["first", "second"]


def test_a_replayed_reaction_fires_a_trigger_once(world: World) -> None:
    rule = trigger(world, [c("event_kind", "is", "created")],
                   [{"type": "note", "value": "hello"}])  # fmt: skip
    ticket = world.ticket("contact")
    drain_reactions()
    created = Event.objects.get(ticket=ticket, kind="created")
    run_triggers(created, fresh(ticket))  # the worker repeats a pass after a crash
    run_triggers(created, fresh(ticket))
    assert Message.objects.filter(ticket=ticket, is_internal=True).count() == 1
    assert Firing.objects.filter(rule=rule).count() == 1


def test_loop_guard_holds_back_and_logs(world: World) -> None:
    # Replies toggle a tag back and forth: without the guard they would ping-pong.
    rule = trigger(world, [c("event_kind", "is", "reply")],
                   [{"type": "note", "value": "client wrote"}], max_per_hour=2)  # fmt: skip
    ticket = world.ticket("contact")
    with clock.travel_to(datetime(2026, 3, 10, 12, tzinfo=UTC)):
        for n in range(4):
            tickets.reply(world.contact, ticket, body=f"Any news? {n}")
        drain_reactions()
    assert Message.objects.filter(ticket=ticket, is_internal=True).count() == 2
    held = Firing.objects.filter(rule=rule, applied=False)
    assert held.count() == 2 and "held back" in held.first().summary  # type: ignore[union-attr]


def test_unanswered_replies_and_requester_organisation(world: World) -> None:
    trigger(world, [c("event_kind", "is", "reply"), c("unanswered_replies", "gte", 3),
                    c("organisation", "is", world.customer.pk)],
            [{"type": "priority", "value": "urgent"}])  # fmt: skip
    ticket = world.ticket("contact")
    tickets.reply(world.contact, ticket, body="one")
    tickets.reply(world.agent, ticket, body="answer")
    tickets.reply(world.contact, ticket, body="two")
    drain_reactions()
    assert fresh(ticket).priority == Priority.NORMAL  # 1 (or 2 with the opening) since
    tickets.reply(world.contact, ticket, body="three")
    tickets.reply(world.contact, ticket, body="four")
    drain_reactions()
    assert fresh(ticket).priority == Priority.URGENT


def _score(ticket: Ticket, values: list[float]) -> None:
    ids = list(Message.objects.filter(ticket=ticket, author_side="client").order_by("id")
               .values_list("pk", flat=True))  # fmt: skip
    for pk, value in zip(ids[-len(values) :], values, strict=True):
        # The proactive app scores messages; here the column is filled as it would be.
        Message.objects.filter(pk=pk).update(sentiment=value)


def test_sentiment_below_threshold_and_going_sour(world: World) -> None:
    trigger(world, [c("event_kind", "is", "note"), c("going_sour", "is", True)],
            [{"type": "add_tags", "value": ["sour"]}])  # fmt: skip
    trigger(world, [c("event_kind", "is", "note"), c("sentiment", "lt", -0.5)],
            [{"type": "add_tags", "value": ["angry"]}])  # fmt: skip
    sour = world.ticket("contact")
    for body in ("a", "b"):
        tickets.reply(world.contact, sour, body=body)
    _score(sour, [0.2, -0.1, -0.3])
    calm = world.ticket("contact")
    tickets.reply(world.contact, calm, body="x")
    tickets.reply(world.contact, calm, body="y")
    _score(calm, [-0.1, -0.6, -0.55])  # angry, but not souring further
    drain_reactions()
    tickets.add_note(world.agent, sour, body="look")
    tickets.add_note(world.agent, calm, body="look")
    drain_reactions()
    assert set(fresh(sour).tags.values_list("name", flat=True)) == {"sour"}
    assert set(fresh(calm).tags.values_list("name", flat=True)) == {"angry"}


def test_handoff_business_hours_status_and_notify(world: World) -> None:
    trigger(world, [c("event_kind", "is", "created"), c("is_handoff", "is", True),
                    c("business_hours", "is", False), c("status", "is", "open")],
            [{"type": "notify", "value": {"people": [world.lead.pk], "assignee": False,
                                           "text": "Hand-off arrived out of hours"}},
             {"type": "status", "value": "on-hold"}])  # fmt: skip
    with clock.travel_to(datetime(2026, 3, 14, 3, tzinfo=UTC)):  # Saturday night
        parent = world.ticket("contact")  # not a hand-off
        child = hand_off(world.agent, parent, provider=world.it.party, subject="VPN",
                         note="Check the VPN")  # fmt: skip
        drain_reactions()
    note = Notification.objects.get(recipient=world.lead, kind="automation")
    assert note.text == "Hand-off arrived out of hours" and note.ticket_id == child.pk
    assert fresh(child).status_category == StatusCategory.ON_HOLD


def test_team_and_agreement_actions(world: World) -> None:
    trigger(world, [c("event_kind", "is", "tagged"), c("tags", "includes", "vpn")],
            [{"type": "team", "value": world.it.party.pk}])  # fmt: skip
    ticket = world.ticket("contact")
    tickets.tag(world.agent, ticket, ["vpn"])
    drain_reactions()
    child = Ticket.objects.get(parent=ticket)
    assert child.provider_party_id == world.it.party.pk


def test_validation_names_the_field(world: World) -> None:
    with pytest.raises(Invalid) as bad:
        trigger(world, [c("colour", "is", "red")], [{"type": "priority", "value": "high"}])
    assert bad.value.field == "conditions"
    with pytest.raises(Invalid) as bad:
        trigger(world, [c("priority", "is", "high")], [{"type": "explode", "value": 1}])
    assert bad.value.field == "actions"
    with pytest.raises(Invalid):
        trigger(world, [c("hours_since_solved", "gte", 3)], [{"type": "priority", "value": "x"}])
