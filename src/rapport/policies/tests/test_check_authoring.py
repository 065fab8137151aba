"""Authoring the must-read check: up to five multiple-choice questions per version,
through the owner's page and the API, only while the version is a draft; the right
answers reach the document's editors only."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.core.errors import Conflict
from rapport.policies import actions
from rapport.policies.models import CheckQuestion
from rapport.policies.tests.libworld import reviewed
from rapport.testing import PASSWORD, World

QUESTION = {"text": "Refund limit without approval?", "options": ["20", "50"], "correct": 1}


def _login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _draft(world: World) -> object:
    return actions.create_document(world.manager, kind="policy", title="Refunds",
                                   body="Up to 50 EUR.", owner=world.manager,
                                   team=world.support)  # fmt: skip


def test_the_owner_writes_the_check_through_the_api(world: World) -> None:
    doc = _draft(world)
    url = f"/api/v1/documents/{doc.pk}/versions/1/check"  # type: ignore[attr-defined]
    manager = world.client("manager")
    response = manager.put(url, {"questions": [QUESTION]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == [QUESTION]
    # Editors see the right answer; a reviewer of the owning team sees only the question.
    detail = f"/api/v1/documents/{doc.pk}/versions/1"  # type: ignore[attr-defined]
    assert manager.get(detail).json()["questions"][0]["correct"] == 1
    assert world.client("lead").get(detail).json()["questions"] == [
        {"text": QUESTION["text"], "options": ["20", "50"], "correct": None}
    ]
    six = manager.put(url, {"questions": [QUESTION] * 6}, content_type="application/json")
    assert six.status_code == 422
    wrong = manager.put(url, {"questions": [{**QUESTION, "correct": 4}]},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "questions"
    assert manager.put(url, {"questions": []}, content_type="application/json").json() == []
    assert not CheckQuestion.objects.exists()


def test_the_check_is_frozen_once_the_draft_goes_to_review(world: World) -> None:
    doc = _draft(world)
    version = reviewed(world, doc)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        actions.set_check(world.manager, version, [QUESTION])
    response = world.client("manager").put(
        f"/api/v1/documents/{doc.pk}/versions/1/check",  # type: ignore[attr-defined]
        {"questions": [QUESTION]}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409
    page = _login(world, "manager").get(f"/policies/d/{doc.pk}/check").content.decode()  # type: ignore[attr-defined]
    assert "can change only while it is a draft" in page
    assert "Save check" not in page


def test_the_check_page_saves_and_explains_mistakes(world: World) -> None:
    doc = _draft(world)
    client = _login(world, "manager")
    url = f"/policies/d/{doc.pk}/check"  # type: ignore[attr-defined]
    assert "Check questions (0)" in client.get(f"/policies/d/{doc.pk}/").content.decode()  # type: ignore[attr-defined]
    assert "Question 5" in client.get(url).content.decode()
    bad = client.post(url, {"q1_text": "Who approves above the limit?", "q1_options": "A lead"})
    assert bad.status_code == 422
    assert "Give 2 to 6 options." in bad.content.decode()
    saved = client.post(url, {
        "q1_text": "Who approves above the limit?", "q1_options": "A lead\nNobody\n",
        "q1_correct": "1", "q2_text": "", "q2_options": "",
    })  # fmt: skip
    assert saved.status_code == 302
    q = CheckQuestion.objects.get()
    assert (q.text, q.options, q.correct) == ("Who approves above the limit?",
                                              ["A lead", "Nobody"], 0)  # fmt: skip
    # The form comes back filled in, and a reader of the team cannot change it.
    assert "Nobody" in client.get(url).content.decode()
    lead_page = _login(world, "lead").get(url).content.decode()
    assert "Only the document's owner changes the check." in lead_page
    assert _login(world, "other_agent").get(url).status_code == 404
