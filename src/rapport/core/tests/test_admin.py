from __future__ import annotations

from django.test import Client

from rapport.testing import PASSWORD, World


def test_admin_site_shows_data_but_changes_nothing(world: World) -> None:
    world.ticket("contact")
    browser = Client()
    assert browser.login(username="admin", password=PASSWORD)
    for path in ("person", "organisation", "team"):
        assert browser.get(f"/admin/directory/{path}/").status_code == 200
    assert browser.get("/admin/tickets/ticket/").status_code == 200
    assert browser.get("/admin/tickets/ticket/add/").status_code == 403
    agent = Client()
    agent.login(username="agent", password=PASSWORD)
    assert agent.get("/admin/").status_code == 302  # staff role is not Django staff
