""" "Was this helpful?" through the API as on the portal page: one vote per person and
article (voting again changes it), articles only, and only what the voter may read."""

from __future__ import annotations

from rapport.policies.tests.libworld import published_policy
from rapport.testing import World

JSON = "application/json"


def test_one_vote_per_person_and_article(world: World) -> None:
    article = published_policy(world, kind="article", title="Reset the router",
                               client_audience="all")  # fmt: skip
    url = f"/api/v1/documents/{article.pk}/vote"
    contact = world.client("contact")
    assert contact.put(url, {"helpful": True}, content_type=JSON).json() == {
        "helpful": True, "yes": 1, "no": 0}  # fmt: skip
    assert contact.put(url, {"helpful": False}, content_type=JSON).json() == {
        "helpful": False, "yes": 0, "no": 1}  # fmt: skip
    both = world.client("agent").put(url, {"helpful": True}, content_type=JSON).json()
    assert (both["yes"], both["no"]) == (1, 1)
    assert contact.put(url, {}, content_type=JSON).status_code == 422


def test_articles_only_and_only_what_one_reads(world: World) -> None:
    policy = published_policy(world)
    url = f"/api/v1/documents/{policy.pk}/vote"
    refused = world.client("agent").put(url, {"helpful": True}, content_type=JSON)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "document"
    assert world.client("contact").put(url, {"helpful": True}, content_type=JSON).status_code == 404
