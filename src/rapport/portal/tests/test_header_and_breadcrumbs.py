"""The portal's header and breadcrumbs say where a link goes: "Help centre" is a
link home, and work handed to a vendor is under "Handed to my organisation"."""

from __future__ import annotations

from django.test import Client

from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_help_centre_is_a_link(world: World) -> None:
    page = _browser(world, "contact").get("/portal/").content.decode()
    assert '<a class="area" href="/portal/">Help centre</a>' in page


def test_a_vendor_reads_handed_work_under_its_own_tab(world: World) -> None:
    handed = world.handoff()
    page = _browser(world, "vendor_user").get(f"/portal/r/{handed.pk}/").content.decode()
    crumbs = page.split('class="crumbs small">', 1)[1].split("</p>", 1)[0]
    assert "Handed to my organisation" in crumbs and "My requests" not in crumbs
    own = world.ticket("contact")
    page = _browser(world, "contact").get(f"/portal/r/{own.pk}/").content.decode()
    assert "My requests" in page.split('class="crumbs small">', 1)[1].split("</p>", 1)[0]
