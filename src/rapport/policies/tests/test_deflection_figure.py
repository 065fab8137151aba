"""The deflection figure per article: how often it was opened from the portal's
new-request form and how often the reader then left without raising the request, on
the document page and in the API (staff only)."""

from __future__ import annotations

from django.test import Client

from rapport.policies import actions
from rapport.policies.tests.libworld import published_policy
from rapport.testing import PASSWORD, World


def test_deflection_per_article(world: World) -> None:
    doc = published_policy(world, kind="article", title="Reset the router",
                           client_audience="all")  # fmt: skip
    other = published_policy(world, kind="article", title="Printer jams", client_audience="all")
    actions.opened_from_new_request(world.contact, doc)
    actions.raised_request(world.contact)  # opened, then raised it after all
    actions.opened_from_new_request(world.contact, doc)
    actions.opened_from_new_request(world.org_admin, doc)
    manager = world.client("manager")
    body = manager.get(f"/api/v1/documents/{doc.pk}").json()
    assert body["deflection"] == {"opened": 3, "deflected": 2, "rate": 0.667}
    items = {d["id"]: d for d in manager.get("/api/v1/documents?kind=article").json()["items"]}
    assert items[doc.pk]["deflection"]["deflected"] == 2
    assert items[other.pk]["deflection"] == {"opened": 0, "deflected": 0, "rate": None}
    # Clients read the article, not the figures about it.
    assert world.client("contact").get(f"/api/v1/documents/{doc.pk}").json()["deflection"] is None
    staff = Client()
    assert staff.login(username=world.manager.username, password=PASSWORD)
    page = staff.get(f"/policies/d/{doc.pk}/").content.decode()
    assert "67% deflection" in page and "opened 3 times" in page
