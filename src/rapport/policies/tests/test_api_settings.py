"""Everything the pages set on a document is settable through the API too: the audience
(teams, roles, all staff, clients and organisations), the ordered sign-off list, the
outside-customer-service flag with its reason, and the periodic review's answers."""

from __future__ import annotations

from rapport.policies.models import Approver, Document, Reconfirmation, Status
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World

JSON = "application/json"


def test_audience_of_an_article_reaches_the_chosen_organisation(world: World) -> None:
    doc = published_policy(world, kind="article", title="Reset the router")
    manager = world.client("manager")
    url = f"/api/v1/documents/{doc.pk}/audience"
    body = manager.put(url, {
        "all_staff": False, "audience_teams": [world.support.pk], "audience_roles": ["agent"],
        "client_audience": "chosen", "client_orgs": [world.customer.pk],
        "tags": ["Network", "router"],
    }, content_type=JSON).json()  # fmt: skip
    assert body["audience_teams"] == [world.support.pk]
    assert body["audience_roles"] == ["agent"]
    assert (body["client_audience"], body["client_orgs"]) == ("chosen", [world.customer.pk])
    assert body["tags"] == ["network", "router"]
    assert world.client("contact").get(f"/api/v1/documents/{doc.pk}").status_code == 200
    missing = manager.put(url, {"all_staff": True, "client_orgs": [10**9]}, content_type=JSON)
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "client_orgs"
    manager.put(url, {"all_staff": True, "client_audience": "none"}, content_type=JSON)
    assert world.client("contact").get(f"/api/v1/documents/{doc.pk}").status_code == 404


def test_policies_never_reach_clients(world: World) -> None:
    doc = published_policy(world)
    response = world.client("manager").put(
        f"/api/v1/documents/{doc.pk}/audience",
        {"all_staff": True, "client_audience": "all", "is_public": True}, content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client_audience"


def test_ordered_sign_offs(world: World) -> None:
    doc = published_policy(world)
    url = f"/api/v1/documents/{doc.pk}/approvers"
    manager = world.client("manager")
    body = manager.put(url, {"approvers": [
        {"person": world.lead.pk, "label": "Team lead"},
        {"person": world.admin.pk, "label": "Legal"},
    ]}, content_type=JSON).json()  # fmt: skip
    assert [(a["position"], a["person"]["id"], a["label"]) for a in body["approvers"]] == [
        (1, world.lead.pk, "Team lead"), (2, world.admin.pk, "Legal")]  # fmt: skip
    assert list(Approver.objects.filter(document=doc).values_list("person_id", flat=True)) == [
        world.lead.pk, world.admin.pk]  # fmt: skip
    client_step = manager.put(url, {"approvers": [{"person": world.contact.pk}]},
                              content_type=JSON)  # fmt: skip
    assert client_step.status_code == 422  # approvers are staff
    assert manager.put(url, {"approvers": []}, content_type=JSON).json()["approvers"] == []
    assert world.client("agent").put(url, {"approvers": []}, content_type=JSON).status_code == 403


def test_outside_customer_service_needs_a_reason(world: World) -> None:
    doc = published_policy(world)
    url = f"/api/v1/documents/{doc.pk}/outside-customer-service"
    manager = world.client("manager")
    no_reason = manager.put(url, {"outside": True}, content_type=JSON)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    body = manager.put(url, {"outside": True, "reason": "Warehouse safety"},
                       content_type=JSON).json()  # fmt: skip
    assert body["outside_customer_service"] and body["outside_reason"] == "Warehouse safety"
    back = manager.put(url, {"outside": False, "reason": "ignored"}, content_type=JSON).json()
    assert (back["outside_customer_service"], back["outside_reason"]) == (False, "")


def test_periodic_review_through_the_api(world: World) -> None:
    doc = published_policy(world)
    url = f"/api/v1/documents/{doc.pk}/cycle"
    manager = world.client("manager")
    before = doc.next_review_at
    assert manager.post_json(url, {"action": "reconfirm", "note": "Still right"}).status_code == 200
    assert Reconfirmation.objects.get(document=doc).note == "Still right"
    assert Document.objects.get(pk=doc.pk).next_review_at >= before  # type: ignore[operator]
    assert manager.post_json(url, {"action": "start_draft"}).status_code == 200
    assert doc.versions.order_by("-number")[0].status == Status.DRAFT
    retired = manager.post_json(url, {"action": "retire"}).json()
    assert retired["status"] == "retired"
    assert manager.post_json(url, {"action": "wave"}).status_code == 422


def test_creating_sets_the_review_interval_and_threshold(world: World) -> None:
    body = world.client("manager").post_json("/api/v1/documents", {
        "kind": "procedure", "title": "Returns", "body": "1. Ask.", "team": world.support.pk,
        "review_months": 3, "exception_threshold": 5}).json()  # fmt: skip
    assert body["review_months"] == 3
    assert Document.objects.get(pk=body["id"]).exception_threshold == 5
