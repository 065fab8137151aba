"""The automation pages: who reaches them, saving with field errors, the dry run under
the form, the delivery log, and the reply box's macro picker."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from rapport.automation.actions import macros, rules, webhooks
from rapport.automation.models import Rule
from rapport.testing import World

CONDITIONS = {"all": [{"field": "status", "op": "is", "value": "open"},
                      {"field": "tags", "op": "excludes", "value": "seen"}]}  # fmt: skip


def browser(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def test_admins_see_rules_and_webhooks_agents_only_macros_clients_nothing(world: World,
        django_assert_max_num_queries: object) -> None:  # fmt: skip
    for n in range(5):
        rules.create_rule(world.admin, "trigger", {"name": f"T{n}", "conditions": CONDITIONS,
                          "actions": [{"type": "add_tags", "value": ["x"]}]})  # fmt: skip
        macros.create_macro(world.admin, {"title": f"M{n}", "body": "Hi", "visibility": "everyone"})
    webhooks.create_webhook(world.admin, {"name": "CRM", "url": "http://127.0.0.1:9/",
                                          "kinds": ["created"], "secret": "x" * 20})  # fmt: skip
    admin = browser(world, "admin")
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        page = admin.get(reverse("automation:home"))
    html = page.content.decode()
    assert page.status_code == 200 and "T4" in html and "CRM" in html and "M4" in html
    assert "x" * 20 not in html
    agent = browser(world, "agent").get(reverse("automation:home")).content.decode()
    assert "M4" in agent and "T4" not in agent and "CRM" not in agent
    assert (
        browser(world, "agent").get(reverse("automation:rule-new", args=["trigger"])).status_code
        == 404
    )
    assert browser(world, "contact").get(reverse("automation:home")).status_code == 403


def test_saving_an_automation_without_a_nullifying_condition_is_a_field_error(
    world: World,
) -> None:
    admin = browser(world, "admin")
    url = reverse("automation:rule-new", args=["automation"])
    data = {"name": "Tag forever", "conditions": json.dumps({"all": [
        {"field": "status", "op": "is", "value": "open"}]}),
        "actions": json.dumps([{"type": "add_tags", "value": ["x"]}]), "max_per_hour": 3,
        "is_active": "on"}  # fmt: skip
    page = admin.post(url, data)
    assert page.status_code == 200
    assert "needs a condition its own actions make false" in page.content.decode()
    assert not Rule.objects.exists()
    data["conditions"] = json.dumps(CONDITIONS)
    data["actions"] = json.dumps([{"type": "add_tags", "value": ["seen"]}])
    saved = admin.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    assert Rule.objects.get().name == "Tag forever"


def test_the_dry_run_lists_what_matches(world: World) -> None:
    first, second = world.ticket("contact"), world.ticket("contact")
    page = browser(world, "admin").post(reverse("automation:dry-run", args=["automation"]),
                                      {"conditions": json.dumps(CONDITIONS)})  # fmt: skip
    html = page.content.decode()
    assert 'data-dry-run-count="2"' in html and f"#{first.pk}" in html and f"#{second.pk}" in html
    bad = browser(world, "admin").post(reverse("automation:dry-run", args=["automation"]),
                                     {"conditions": "{nope"})  # fmt: skip
    assert "not valid JSON" in bad.content.decode()


def test_macro_picker_in_the_reply_box(world: World) -> None:
    m = macros.create_macro(world.admin, {
        "title": "Toner", "shortcut": "toner", "body": "Hi {{ requester.first_name }}, new toner.",
        "visibility": "everyone", "actions": [{"type": "add_tags", "value": ["toner"]}],
    })  # fmt: skip
    ticket = world.ticket("contact")
    agent = browser(world, "agent")
    desk = agent.get(reverse("desk:ticket", args=[ticket.pk])).content.decode()
    assert "data-macro-picker" in desk
    found = agent.get(reverse("automation:macro-search", args=[ticket.pk]) + "?q=ton")
    assert "Toner" in found.content.decode()
    applied = agent.post(reverse("automation:macro-apply", args=[m.pk, ticket.pk]))
    assert applied.json()["text"] == "Hi Contact, new toner."
    assert ticket.tags.filter(name="toner").exists()
    client_desk = browser(world, "contact").get(
        reverse("automation:macro-search", args=[ticket.pk])
    )
    assert client_desk.status_code == 403
