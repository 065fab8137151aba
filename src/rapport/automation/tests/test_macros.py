"""Macros: sandboxed placeholders, field actions, who sees which, usage counts, and the
flag when the procedure a macro cites is retired or changes version."""

from __future__ import annotations

import pytest

from rapport.automation import queries
from rapport.automation.actions import macros
from rapport.automation.models import Macro
from rapport.core.choices import Priority
from rapport.core.errors import Invalid, PermissionDenied
from rapport.policies import actions as policies
from rapport.policies.tests.libworld import published_policy, reviewed
from rapport.testing import World
from rapport.tickets.models import Ticket


def macro(world: World, **kw: object) -> Macro:
    body = "Hi {{ requester.first_name }}, about #{{ ticket.number }}: — {{ agent.name }}"
    data = {"title": "Printer fix", "body": body, "visibility": "everyone", **kw}
    return macros.create_macro(world.admin, data)


def test_apply_renders_placeholders_runs_actions_and_counts(world: World) -> None:
    m = macro(world, actions=[{"type": "priority", "value": "high"},
                              {"type": "add_tags", "value": ["printer"]}])  # fmt: skip
    ticket = world.ticket("contact")
    text = macros.apply_macro(world.agent, queries.macro(world.agent, m.pk), ticket)
    assert text == f"Hi Contact, about #{ticket.pk}: — Agent"
    t = Ticket.objects.get(pk=ticket.pk)
    assert t.priority == Priority.HIGH and t.tags.filter(name="printer").exists()
    m.refresh_from_db()
    assert m.usage_count == 1


def test_the_sandbox_refuses_unsafe_templates(world: World) -> None:
    m = macro(world, body="{{ ticket.__class__.__mro__ }}")
    with pytest.raises(Invalid):
        macros.apply_macro(world.agent, m, world.ticket("contact"))
    with pytest.raises(Invalid) as bad:
        macro(world, body="{% for %}")
    assert bad.value.field == "body"
    # Placeholders see plain values: an unknown one renders empty, nothing is called.
    m = macro(world, body="[{{ ticket.delete }}][{{ requester.password }}]")
    assert macros.apply_macro(world.agent, m, world.ticket("contact")) == "[][]"


def test_personal_team_and_everyone(world: World) -> None:
    mine = macros.create_macro(world.agent, {"title": "Mine", "body": "x",
                                             "visibility": "personal"})  # fmt: skip
    team = macros.create_macro(
        world.agent,
        {"title": "Support's", "body": "x", "visibility": "team", "team": world.support.pk},
    )
    shared = macro(world)
    assert set(queries.macros_for(world.agent)) == {mine, team, shared}
    assert set(queries.macros_for(world.lead)) == {team, shared}
    assert set(queries.macros_for(world.other_agent)) == {shared}
    assert list(queries.macros_for(world.contact)) == []
    with pytest.raises(PermissionDenied):
        macros.create_macro(world.agent, {"title": "All", "body": "x", "visibility": "everyone"})
    with pytest.raises(PermissionDenied):
        macros.update_macro(world.lead, shared, {"title": "Mine now"})
    assert [m.title for m in queries.search_macros(world.agent, "supp")] == ["Support's"]


def test_clients_cannot_apply_macros(world: World) -> None:
    m = macro(world)
    with pytest.raises(PermissionDenied):
        macros.apply_macro(world.contact, m, world.ticket("contact"))


def test_flagged_when_the_cited_procedure_changes_or_is_retired(world: World) -> None:
    doc = published_policy(world, kind="procedure", title="Printer triage")
    m = macro(world, document=doc.pk)
    assert m.document_version == 1
    assert queries.macro_flag(queries.macro(world.agent, m.pk)) == ""
    policies.edit(world.manager, doc, body="# Printer triage\n\nNew steps.", change_summary="v2")
    version = reviewed(world, doc)
    policies.approve(world.manager, version)
    policies.publish(world.manager, version)
    assert "now at version 2" in queries.macro_flag(queries.macro(world.agent, m.pk))
    macros.update_macro(world.admin, m, {"document": doc.pk})  # reviewed: follows v2
    assert queries.macro_flag(queries.macro(world.agent, m.pk)) == ""
    policies.retire(world.manager, doc, reason="Printers replaced")
    assert "retired" in queries.macro_flag(queries.macro(world.agent, m.pk))
