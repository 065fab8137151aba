"""Timed API workloads through Django's test client (in-process, no network)."""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.dataset import COMMON_WORD, RARE_WORD, Directory
from rapport.accounts import actions as accounts
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.tickets import actions
from rapport.tickets.models import Ticket
from rapport.tickets.queries import visible_tickets

API = "/api/v1"
WARMUP = 20


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    per_second: float


@dataclass(frozen=True)
class Workload:
    """A read: what it is called, which target applies, who asks, and the path of
    request number i (negative for warm-up requests)."""

    name: str
    kind: str  # "list", "search" or "detail"
    client: Client
    path: Callable[[int], str]


def client_for(person: Person) -> Client:
    _, key = accounts.create_token(None, person, name="bench")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def browser_for(person: Person) -> Client:
    """A signed-in browser session, as the desk's pages are used."""
    browser = Client()
    browser.force_login(person)
    return browser


class _Response(Protocol):
    status_code: int
    content: bytes


def _check(response: _Response, what: str, expected: int = 200) -> None:
    if response.status_code != expected:
        body = response.content[:300]
        raise RuntimeError(f"{what} answered {response.status_code}, not {expected}: {body!r}")


def timing(samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]  # nearest rank
    return Timing(statistics.median(ordered) * 1e3, p95 * 1e3, len(ordered) / sum(ordered))


def run(workload: Workload, requests: int) -> Timing:
    """Warm up, then time `requests` GETs one after the other."""
    for i in range(1, WARMUP + 1):
        _check(workload.client.get(workload.path(-i)), workload.path(-i))
    samples = []
    for i in range(requests):
        path = workload.path(i)
        began = time.perf_counter()
        response = workload.client.get(path)
        samples.append(time.perf_counter() - began)
        _check(response, path)
    return timing(samples)


def query_count(workload: Workload) -> int:
    """SQL statements of one request, after an untimed one so nothing is first-time.

    (An API token records its use at most once a minute: the warm-up takes that.)
    """
    workload.client.get(workload.path(0))
    with CaptureQueriesContext(connection) as captured:
        _check(workload.client.get(workload.path(1)), workload.path(1))
    return len(captured)


LONG_THREAD = 300  # messages on the ticket of the long-thread page


def long_thread(directory: Directory, messages: int = LONG_THREAD) -> int:
    """A ticket with `messages` replies and notes, written through the actions."""
    world = directory.world
    ticket = actions.create_ticket(
        world.contact, subject=f"The {COMMON_WORD} again", body="It jams.",
        provider=world.support.party,
    )  # fmt: skip
    for i in range(messages - 1):
        if i % 3 == 0:
            actions.reply(world.agent, ticket, body=f"Reply {i}: try the <b>rear</b> tray.")
        elif i % 3 == 1:
            actions.add_note(world.agent, ticket, body=f"Note {i}: the drum is worn.")
        else:
            actions.reply(world.contact, ticket, body=f"Answer {i}: still jams.")
    return ticket.pk


def reads(
    directory: Directory, *, seed: int, long_ticket: int | None = None, only: str = "all"
) -> list[Workload]:
    """The timed reads; with `only="desk"`, the desk's pages alone."""
    world = directory.world
    agent, admin = client_for(world.agent), client_for(world.admin)
    desk_agent, desk_admin = browser_for(world.agent), browser_for(world.admin)
    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    numbers = random.Random(seed).choices(range(1, last + 1), k=10_000)
    support = world.support.party_id
    # An agent's random ticket is one of theirs (a number they may not see is a 404).
    mine = list(visible_tickets(scope_for(world.agent)).values_list("pk", flat=True)[:100_000])
    agent_numbers = random.Random(seed).choices(mine or [1], k=10_000)

    def always(path: str) -> Callable[[int], str]:
        return lambda i: path

    api = [
        Workload("list, agent (one team)", "list", agent, always(f"{API}/tickets")),
        Workload("list, admin (everything)", "list", admin, always(f"{API}/tickets")),
        Workload("list, provider + open, agent", "list", agent,
                 always(f"{API}/tickets?provider={support}&category=open")),
        Workload(f"search {COMMON_WORD!r}, agent", "search", agent,
                 always(f"{API}/tickets?q={COMMON_WORD}")),
        Workload(f"search {COMMON_WORD!r}, admin", "search", admin,
                 always(f"{API}/tickets?q={COMMON_WORD}")),
        Workload(f"search {RARE_WORD!r} (rare), agent", "search", agent,
                 always(f"{API}/tickets?q={RARE_WORD}")),
        Workload("ticket detail, random, admin", "detail", admin,
                 lambda i: f"{API}/tickets/{numbers[i]}"),
        Workload("ticket detail, random, agent", "detail", agent,
                 lambda i: f"{API}/tickets/{agent_numbers[i]}"),
    ]  # fmt: skip
    desk = [
        # The desk's pages as an agent's browser gets them: the queue page is the
        # first page of a queue with every queue's (capped) count in the sidebar.
        Workload("desk queue 'all open in my teams', agent", "list", desk_agent,
                 always("/desk/q/team/")),
        Workload("desk queue 'my open', agent", "list", desk_agent, always("/desk/")),
        Workload("desk queue 'unassigned', agent", "list", desk_agent,
                 always("/desk/q/unassigned/")),
        Workload("desk queue 'all open', admin", "list", desk_admin, always("/desk/q/team/")),
        Workload("desk ticket page, random, admin", "detail", desk_admin,
                 lambda i: f"/desk/t/{numbers[i]}/"),
    ]  # fmt: skip
    if long_ticket is not None:
        desk.append(Workload(f"desk ticket page, {LONG_THREAD} messages, admin", "detail",
                             desk_admin, always(f"/desk/t/{long_ticket}/")))  # fmt: skip
    return desk if only == "desk" else api + desk


@dataclass(frozen=True)
class Creates:
    timing: Timing
    queries: int


def poster(directory: Directory) -> Callable[[int], None]:
    """Raises ticket number `i` through POST /api/v1/tickets as a customer contact."""
    contact = client_for(directory.world.contact)
    provider = directory.world.support.party_id

    def post(i: int) -> None:
        body = {
            "subject": f"Bench request {i}: {COMMON_WORD} jammed",
            "body": f"Request {i}. The {COMMON_WORD} on floor 2 jams on every page.",
            "provider": provider,
        }
        response = contact.post(f"{API}/tickets", json.dumps(body), content_type="application/json")
        _check(response, f"POST {API}/tickets", 201)

    return post


def creates(directory: Directory, count: int) -> Creates:
    """`count` tickets raised through POST /api/v1/tickets by a customer contact."""
    post = poster(directory)
    for i in range(1, WARMUP + 1):
        post(-i)
    with CaptureQueriesContext(connection) as captured:
        post(0)
    queries = len(captured)  # now: the log is emptied when the next request starts
    samples = []
    for i in range(1, count + 1):
        began = time.perf_counter()
        post(i)
        samples.append(time.perf_counter() - began)
    return Creates(timing(samples), queries)
