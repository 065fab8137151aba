"""Every manager's and admin's page in the one shell, using the width it has: the main
content is at least 60 % of a 1280 px viewport and nothing spills sideways, at 1280 and
390 px. Screenshots of the scorecards and settings pages go to var/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import screenshot, sign_in

from rapport.scorecards import actions as scorecards
from rapport.testing import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
MIN_SHARE = 0.6

MEASURE = """() => {
  const main = document.querySelector('main');
  return {
    main: main ? main.getBoundingClientRect().width : 0,
    nav: !!document.querySelector('nav[aria-label="Main"]'),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def measure(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def pages_of(world: World, card_id: int) -> dict[str, str]:
    month = "period=month&dimension=provider"
    return {
        "scorecards": "/scorecards/",
        "scorecards-agents": "/scorecards/?period=week&dimension=agent",
        "scorecards-tickets": f"/scorecards/tickets?{month}&id={world.support.party_id}"
        "&metric=volume_in",
        "scorecards-weighted-list": "/scorecards/weighted/",
        "scorecards-weighted": f"/scorecards/weighted/{card_id}",
        "scorecards-weighted-new": "/scorecards/weighted/new",
        "sla-settings": "/settings/sla/",
        "sla-calendar": f"/settings/sla/calendars/{world.calendar.pk}",
        "sla-calendar-new": "/settings/sla/calendars/new",
        "sla-agreement": f"/settings/sla/agreements/{world.sla.pk}",
        "survey-settings": f"/surveys/settings/{world.sla.pk}/",
        "settings": "/settings/",
        "settings-people": "/settings/people/",
        "settings-person": f"/settings/people/{world.people['agent'].pk}",
        "settings-person-new": "/settings/people/new",
        "settings-organisations": "/settings/organisations/",
        "settings-organisation": f"/settings/organisations/{world.customer.pk}",
        "settings-teams": "/settings/teams/",
        "settings-team": f"/settings/teams/{world.support.pk}",
        "settings-agreement-new": "/settings/agreements/new",
        "settings-surveys": "/settings/surveys/",
        "settings-tokens": "/settings/tokens/",
        "settings-statuses": "/settings/statuses/",
        "settings-mail": "/settings/mail/",
        "settings-outbox": "/settings/outbox/",
        "settings-reactions": "/desk/reactions",
    }


def test_manager_and_admin_pages_use_the_page_width(
    page: Page, live_server: Any, world: World
) -> None:
    for ticket in range(3):
        world.ticket("contact", subject=f"Printer {ticket}")
    card = scorecards.create_weighted(
        None, provider=world.vendor.party, name="PrintCo quarterly",
        criteria=[{"name": "Review", "metric": "manual", "weight": 100, "max_score": 10}],
    )  # fmt: skip
    sign_in(page, live_server.url, "admin")
    problems: list[str] = []
    for name, url in pages_of(world, card.pk).items():
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        found = measure(page)
        screenshot(page, f"{name}-1280")
        if not found["nav"]:
            problems.append(f"{url}: no main navigation")
        if found["main"] < MIN_SHARE * DESKTOP["width"]:
            problems.append(f"{url}: main is {found['main']:.0f} px at 1280")
        if found["overflow"] > 0:
            problems.append(f"{url}: {found['overflow']} px too wide at 1280")
        page.set_viewport_size(PHONE)
        screenshot(page, f"{name}-390")
        overflow = measure(page)["overflow"]
        if overflow > 0:
            problems.append(f"{url}: {overflow} px too wide at 390")
    assert not problems, "\n".join(problems)
