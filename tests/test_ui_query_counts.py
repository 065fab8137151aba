"""Every page of the desk and the portal takes a constant number of SQL queries,
whatever the number of tickets, messages, tags and events."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.desk import actions as desk_actions
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Ticket

DESK_PAGES = (
    "/desk/q/mine/", "/desk/dashboard/", "/desk/q/all/?q=printer",
    "/desk/q/unassigned/", "/desk/q/team/", "/desk/q/pending/", "/desk/q/solved/",
    "/desk/q/team/?q=printer&tag=printer&priority=2&sort=-priority",
    "/desk/q/team/?assignee=me&status=new&sort=created", "/desk/counts",
)  # fmt: skip


def _count(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert getattr(response, "status_code", 200) == 200
    return len(ctx.captured_queries)


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def _grow(world: World, n: int) -> Ticket:
    ticket = None
    for i in range(n):
        ticket = world.ticket("org_admin" if i % 2 else "contact", subject=f"Printer {i}")
        actions.tag(world.agent, ticket, [f"tag{i}", "printer"])
        actions.assign(world.agent, ticket, world.agent)
        actions.reply(world.agent, ticket, body="On it")
        actions.add_note(world.agent, ticket, body="Note")
        handed = world.handoff()
        actions.reply(world.vendor_user, handed, body="Coming")
    assert ticket is not None
    return ticket


def _counts(browser: Client, paths: tuple[str, ...]) -> dict[str, int]:
    return {p: _count(lambda p=p: browser.get(p)) for p in paths}


def test_desk_queue_pages_are_constant(world: World) -> None:
    for role in ("agent", "admin"):
        browser = _browser(world, role)
        # Saved views are counted in the sidebar's one statement with the queues.
        for name, query in (("Printers", "tag=printer"), ("Words", "q=printer&assignee=me")):
            desk_actions.save_view(world.people[role], name=name, queue="team", query=query)
        _grow(world, 2)
        small = _counts(browser, DESK_PAGES)
        _grow(world, 12)
        assert _counts(browser, DESK_PAGES) == small, role
        assert max(small.values()) <= 16, small


def test_desk_ticket_page_is_constant_in_thread_length(world: World) -> None:
    browser = _browser(world, "agent")
    short = world.ticket("contact")
    long = world.ticket("contact")
    child = actions.create_ticket(
        world.agent, subject="Part", body="x", provider=world.vendor.party, parent=long
    )
    for i in range(25):  # 75 messages: more than three pages of the thread
        actions.reply(world.agent, long, body=f"Reply {i}")
        actions.add_note(world.agent, long, body=f"Note {i}")
        actions.reply(world.contact, long, body=f"Answer {i}")
        actions.tag(world.agent, long, [f"t{i}"])
    assert child.parent_id == long.pk
    # Statuses are reference data, read once per process and kept until they change.
    browser.get(f"/desk/t/{short.pk}/")
    for suffix in ("", "thread", "history", "clocks", "agreement"):
        small = _count(lambda s=suffix: browser.get(f"/desk/t/{short.pk}/{s}"))
        large = _count(lambda s=suffix: browser.get(f"/desk/t/{long.pk}/{s}"))
        assert small == large, suffix
        assert small <= 14, (suffix, small)
    # The long thread's page shows its latest messages; earlier ones come a page at a
    # time, each page in the same queries.
    page = browser.get(f"/desk/t/{long.pk}/").content.decode()
    earlier = page.split('class="earlier"><a class="btn btn-small" href="')[1].split('"')[0]
    first = _count(lambda: browser.get(earlier.replace("&amp;", "&")))
    assert first <= _count(lambda: browser.get(f"/desk/t/{long.pk}/thread"))


def test_portal_pages_are_constant(world: World) -> None:
    paths = ("/portal/", "/portal/?tab=organisation", "/portal/new")
    for role in ("contact", "org_admin", "vendor_user", "employee"):
        browser = _browser(world, role)
        _grow(world, 2)
        small = _counts(browser, paths)
        _grow(world, 10)
        assert _counts(browser, paths) == small, role
        assert max(small.values()) <= 10, (role, small)
    browser = _browser(world, "contact")
    short = world.ticket("contact")
    long = _grow(world, 1)
    for i in range(12):
        actions.reply(world.contact, long, body=f"More {i}")
    assert _count(lambda: browser.get(f"/portal/r/{short.pk}/")) == _count(
        lambda: browser.get(f"/portal/r/{long.pk}/")
    )
