"""A crawl of every link a person can reach, for each kind of person the demo has
(admin, manager, agent, client contact, vendor user): every page renders inside the
shell (the main navigation), nothing spills beyond a 1280 px viewport, and no link
answers 500.

Bounded so it runs in about a minute: links are grouped by URL pattern and at most
PER_PATTERN pages of each pattern are opened, at most PER_ROLE pages per person.
"""

from __future__ import annotations

from collections import Counter, deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page
from tests.browser.conftest import sign_in

from rapport.scorecards import actions as scorecards
from rapport.testing import World
from rapport.tickets import actions as tickets

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLES = ("admin", "manager", "agent", "contact", "vendor_user")
PER_PATTERN = 2
PER_ROLE = 60
SKIPPED_PREFIXES = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/", "/healthz")

INSPECT = """() => ({
  shell: !!document.querySelector('nav[aria-label="Main"]') && !!document.querySelector('main'),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  links: Array.from(document.querySelectorAll('a[href]'),
                    a => new URL(a.getAttribute('href'), location.href).href),
})"""


def pattern(path: str) -> str | None:
    if path.startswith(SKIPPED_PREFIXES) or "export" in path or "/attachments/" in path:
        return None
    try:
        return resolve(path).route
    except Resolver404:
        return path  # a broken link is still opened once: it must answer 404, not 500


def crawl(page: Page, base: str) -> tuple[list[str], Counter[str]]:
    problems: list[str] = []
    opened: Counter[str] = Counter()
    seen: set[str] = set()
    todo: deque[str] = deque(["/"])
    pages = 0
    while todo and pages < PER_ROLE:
        url = todo.popleft()
        key = pattern(urlsplit(url).path)
        if key is None or opened[key] >= PER_PATTERN:
            continue
        opened[key] += 1
        pages += 1
        response = page.goto(base + url)
        if response is None:
            continue
        if response.status >= 500:
            problems.append(f"{url}: {response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        found: dict[str, Any] = page.evaluate(INSPECT)
        if not found["shell"]:
            problems.append(f"{url}: not in the shell")
        if found["overflow"] > 0:
            problems.append(f"{url}: {found['overflow']} px wider than the viewport")
        for link in found["links"]:
            parts = urlsplit(link)
            if parts.netloc != urlsplit(base).netloc or parts.scheme not in ("http", "https"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return problems, opened


def test_every_reachable_page_renders_in_the_shell(
    page: Page, live_server: Any, world: World
) -> None:
    ticket = world.ticket("contact", subject="Printer jammed")
    tickets.reply(world.people["agent"], ticket, body="On it.")
    world.handoff()
    scorecards.create_weighted(
        None, provider=world.vendor.party, name="PrintCo quarterly",
        criteria=[{"name": "Review", "metric": "manual", "weight": 100, "max_score": 10}],
    )  # fmt: skip
    problems: list[str] = []
    for role in ROLES:
        page.context.clear_cookies()
        sign_in(page, live_server.url, role)
        found, opened = crawl(page, live_server.url)
        problems += [f"{role} {p}" for p in found]
        # each kind of person reaches several areas, not only their landing page
        assert len(opened) >= 4, (role, sorted(opened))
        print(role, sum(opened.values()), "pages", sorted(opened))
    assert not problems, "\n".join(problems)
