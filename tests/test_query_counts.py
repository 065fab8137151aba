"""List and detail endpoints take a constant number of SQL queries, whatever the data size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.agreements import actions as agreement_actions
from rapport.directory import actions as directory
from rapport.testing import World
from rapport.tickets import actions


def _count(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert getattr(response, "status_code", 200) == 200
    return len(ctx.captured_queries)


def _grow(world: World, n: int) -> None:
    for i in range(n):
        ticket = world.ticket("contact", subject=f"Printer {i}")
        actions.tag(world.agent, ticket, [f"tag{i}", "printer"])
        actions.assign(world.agent, ticket, world.agent)
        actions.reply(world.agent, ticket, body="On it")


def test_ticket_list_is_constant(world: World) -> None:
    for role in ("agent", "admin", "contact", "org_admin", "vendor_user"):
        client = world.client(role)
        client.get("/api/v1/me")  # token use is recorded once a minute; do it outside
        _grow(world, 2)
        small = _count(lambda c=client: c.get("/api/v1/tickets"))
        searched_small = _count(lambda c=client: c.get("/api/v1/tickets?q=printer&tag=printer"))
        _grow(world, 12)
        assert _count(lambda c=client: c.get("/api/v1/tickets")) == small, role
        assert (
            _count(lambda c=client: c.get("/api/v1/tickets?q=printer&tag=printer"))
            == searched_small
        ), role
        assert small <= 6, role


def test_ticket_detail_is_constant_in_thread_length(world: World) -> None:
    client = world.client("agent")
    client.get("/api/v1/me")
    short = world.ticket("contact")
    long = world.ticket("contact")
    for i in range(15):
        actions.reply(world.agent, long, body=f"Reply {i}")
        actions.add_note(world.agent, long, body=f"Note {i}")
        actions.reply(world.contact, long, body=f"Answer {i}")
    for path in ("", "/messages", "/events"):
        small = _count(lambda p=path: client.get(f"/api/v1/tickets/{short.pk}{p}"))
        large = _count(lambda p=path: client.get(f"/api/v1/tickets/{long.pk}{p}"))
        assert small == large, path
        assert small <= 8, path


def test_directory_lists_are_constant(world: World) -> None:
    client = world.client("admin")
    client.get("/api/v1/me")
    paths = ("/api/v1/people", "/api/v1/organisations", "/api/v1/teams", "/api/v1/agreements")
    before = {p: _count(lambda p=p: client.get(p)) for p in paths}
    for i in range(10):
        directory.create_person(None, username=f"extra{i}")
        directory.create_organisation(None, name=f"Customer {i}", kind="customer")
        team = directory.create_team(None, name=f"Team {i}")
        agreement_actions.create_agreement(
            None, name=f"OLA {i}", kind="ola", provider=team.party, client=world.own.party,
            calendar=world.calendar, active_from=date(2024, 1, 1),
            targets=[{"priority": "normal", "resolution_minutes": 60}],
        )  # fmt: skip
    for path in paths:
        assert _count(lambda p=path: client.get(p)) == before[path], path


def test_mail_intake_list_is_constant(world: World) -> None:
    from rapport.mail.testing import build, deliver, support_mailbox

    mailbox = support_mailbox(world)
    client = world.client("admin")
    client.get("/api/v1/me")
    for i in range(2):
        deliver(build(sender=f"s{i}@nowhere.example"), mailbox)
        deliver(build(subject=f"Printer {i}"), mailbox)
    small = _count(lambda: client.get("/api/v1/mail/inbound"))
    for i in range(12):
        deliver(build(sender=f"t{i}@nowhere.example"), mailbox)
        deliver(build(subject=f"Toner {i}"), mailbox)
    assert _count(lambda: client.get("/api/v1/mail/inbound")) == small
    assert _count(lambda: client.get("/api/v1/mail/inbound?state=quarantined")) == small
    assert small <= 4
