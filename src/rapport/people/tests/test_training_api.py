"""The training API: blind scoring, the reveal, the decision, plans and assignments."""

from __future__ import annotations

import pytest

from rapport.people.actions import training
from rapport.people.tests.training_world import scenario
from rapport.testing import build_world

PROBLEM = "application/problem+json"


@pytest.mark.django_db
def test_a_panel_scores_blind_over_the_api_then_sees_the_reveal_and_decides() -> None:
    world = build_world()
    p = world.people
    s = scenario(world)
    manager, lead, agent = (world.client(r) for r in ("manager", "lead", "agent"))
    c = manager.post_json("/api/v1/candidates", {"full_name": "Ada Lovelace"}).json()
    r = manager.post_json(
        "/api/v1/assessments",
        {"scenario": s.pk, "candidate": c["id"], "assessors": [p["lead"].pk, p["agent"].pk]},
    )
    assert r.status_code == 201, r.json()
    a = r.json()
    dims = [d["id"] for d in a["dimensions"]]
    url = f"/api/v1/assessments/{a['id']}"
    r = lead.post_json(f"{url}/scores", {"levels": {str(d): 4 for d in dims}})
    assert r.status_code == 200, r.json()
    assert lead.post(f"{url}/submit").status_code == 200

    # The second assessor sees only their own (empty) scores before submitting.
    def levels(body: dict) -> dict:  # type: ignore[type-arg]
        return {s["assessor"]["id"]: s["levels"] for s in body["seats"]}

    assert levels(agent.get(url).json()) == {p["lead"].pk: None, p["agent"].pk: {}}
    agent.post_json(f"{url}/scores", {"levels": {str(d): 3 for d in dims}})
    assert levels(lead.get(url).json())[p["agent"].pk] is None
    body = agent.post(f"{url}/submit").json()
    assert body["status"] == "revealed" and body["agreement"] == 1.0
    seen = levels(body)
    assert (set(seen[p["lead"].pk].values()), set(seen[p["agent"].pk].values())) == ({4}, {3})
    r = agent.post_json(f"/api/v1/candidates/{c['id']}/decision",
                        {"outcome": "hire", "reasons": "Warm, and learns fast"})  # fmt: skip
    assert r.status_code == 201, r.json()
    assert manager.get(f"/api/v1/candidates/{c['id']}").json()["decisions"][0]["outcome"] == "hire"
    # Someone off the panel: 404, as a problem document.
    r = world.client("other_agent").get(url)
    assert r.status_code == 404 and r["Content-Type"].startswith(PROBLEM)
    assert world.client("other_agent").get(f"/api/v1/candidates/{c['id']}").status_code == 404


@pytest.mark.django_db
def test_bad_levels_are_a_problem_document() -> None:
    world = build_world()
    p = world.people
    s = scenario(world)
    candidate = training.add_candidate(p["manager"], full_name="Ada")
    a = training.start_assessment(p["manager"], s, candidate=candidate,
                                  assessors=[p["lead"], p["agent"]])  # fmt: skip
    dim = s.rubric.categories.first().pk  # type: ignore[union-attr]
    r = world.client("lead").post_json(f"/api/v1/assessments/{a.pk}/scores",
                                       {"levels": {str(dim): 9}})  # fmt: skip
    assert r.status_code == 422 and r["Content-Type"].startswith(PROBLEM)


@pytest.mark.django_db
def test_plans_and_assignments_over_the_api() -> None:
    world = build_world()
    p = world.people
    lead = world.client("lead")
    r = lead.post_json("/api/v1/training/plans", {
        "name": "Support basics", "kind": "recurring", "team": world.support.pk,
        "items": [{"kind": "session", "title": "Shadow a senior", "due_days": 5}]})  # fmt: skip
    assert r.status_code == 201, r.json()
    plan = r.json()["id"]
    r = lead.post_json(f"/api/v1/training/plans/{plan}/assign", {"people": [p["agent"].pk]})
    assert r.json() == {"assigned": 1}
    mine = world.client("agent").get("/api/v1/training/assignments").json()["items"]
    assert [a["title"] for a in mine] == ["Shadow a senior"]
    assert world.client("other_agent").get("/api/v1/training/assignments").json()["items"] == []
    r = lead.post_json(f"/api/v1/training/assignments/{mine[0]['id']}/attended", {"note": "ok"})
    assert r.status_code == 200 and r.json()["evidence"] == "attended"
    r = world.client("agent").post_json(
        f"/api/v1/training/assignments/{mine[0]['id']}/attended", {}
    )
    assert r.status_code in (200, 403)
    assert world.client("contact").get("/api/v1/training/plans").status_code == 404
