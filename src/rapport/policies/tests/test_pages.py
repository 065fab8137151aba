"""The desk's library pages: they render, act through the actions, and keep their
query counts whatever the data size."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.policies import actions
from rapport.policies.models import Proposal, ReadTask
from rapport.policies.tests.libworld import published_policy
from rapport.testing import PASSWORD, World


def _login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.people[role].username, password=PASSWORD)
    return client


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def test_library_lists_and_searches_with_constant_queries(world: World) -> None:
    published_policy(world, title="Refunds")
    client = _login(world, "agent")
    body = client.get("/policies/?q=refund").content.decode()
    assert "Refunds" in body
    assert "Refunds" not in client.get("/policies/?q=warranty").content.decode()
    before = _count(client, "/policies/")
    for i in range(5):
        published_policy(world, title=f"Policy {i}")
    assert _count(client, "/policies/") == before


def test_document_page_shows_versions_redline_and_proposals(world: World) -> None:
    doc = published_policy(world)
    actions.edit(world.manager, doc, body="# Refunds\n\nUp to 80 EUR.", change_summary="Raise")
    actions.file_proposal(world.agent, doc, what_is_wrong="Cap", why="Slow", proposed_fix="80")
    client = _login(world, "manager")
    body = client.get(f"/policies/d/{doc.pk}/?from=1&to=2").content.decode()
    assert "v2" in body and "<ins>" in body and "<del>" in body
    assert "Cap" in body  # the proposal
    assert _login(world, "contact").get(f"/policies/d/{doc.pk}/").status_code == 403
    # Another agent sees the published version but not the draft.
    other = _login(world, "other_agent").get(f"/policies/d/{doc.pk}/").content.decode()
    assert "Raise" not in other


def test_document_page_queries_do_not_grow(world: World) -> None:
    doc = published_policy(world)
    client = _login(world, "manager")
    before = _count(client, f"/policies/d/{doc.pk}/")
    for _ in range(3):
        ticket = world.ticket("contact")
        actions.cite(world.agent, ticket, doc)
        actions.record_exception(world.agent, ticket, doc, why="a", instead="b",
                                 within_autonomy=True)  # fmt: skip
        actions.file_proposal(world.agent, doc, what_is_wrong="a", why="b", proposed_fix="c")
    assert _count(client, f"/policies/d/{doc.pk}/") == before


def test_proposal_form_field_errors_and_decision(world: World) -> None:
    doc = published_policy(world)
    client = _login(world, "agent")
    response = client.post(f"/policies/d/{doc.pk}/propose", {"what_is_wrong": "x", "why": ""})
    assert response.status_code == 422
    client.post(f"/policies/d/{doc.pk}/propose",
                {"what_is_wrong": "x", "why": "y", "proposed_fix": "z"})  # fmt: skip
    proposal = Proposal.objects.get()
    manager = _login(world, "manager")
    response = manager.post(f"/policies/proposals/{proposal.pk}/decide", {"decision": "decline"})
    assert response.status_code == 422  # a reason is required
    manager.post(f"/policies/proposals/{proposal.pk}/decide", {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_my_reading_and_acknowledging_with_the_check(world: World) -> None:
    doc = actions.create_document(
        world.manager,
        kind="procedure",
        title="Returns",
        body="1. Ask.",
        owner=world.manager,
        team=world.support,
    )
    version = doc.versions.get()
    actions.set_check(
        world.manager,
        version,
        [{"text": "First step?", "options": ["Ask", "Refund"], "correct": 0}],
    )
    from rapport.policies.tests.libworld import reviewed

    reviewed(world, doc)
    actions.approve(world.manager, version)
    actions.publish(world.manager, version, must_read=True)
    client = _login(world, "agent")
    assert "Returns" in client.get("/policies/reading/").content.decode()
    task = ReadTask.objects.get(person=world.agent)
    client.post(f"/policies/reading/{task.pk}/acknowledge", {"q0": "1"})
    task.refresh_from_db()
    assert task.acknowledged_at is None
    client.post(f"/policies/reading/{task.pk}/acknowledge", {"q0": "0"})
    task.refresh_from_db()
    assert task.acknowledged_at is not None
    assert "To read (0)" in client.get("/policies/reading/").content.decode()


def test_ticket_panel_loads_after_the_page_and_cites(world: World) -> None:
    doc = published_policy(world, kind="procedure", title="Printer fire drill",
                           body="# Printer fire\n\nUse the extinguisher.")  # fmt: skip
    ticket = world.ticket("contact", subject="Printer on fire")
    client = _login(world, "agent")
    page = client.get(f"/desk/t/{ticket.pk}/").content.decode()
    assert f"/policies/t/{ticket.pk}/panel" in page
    panel = client.get(f"/policies/t/{ticket.pk}/panel").content.decode()
    assert "Printer fire drill" in panel  # suggested from the ticket's words
    client.post(f"/policies/t/{ticket.pk}/cite", {"document": doc.pk, "clause": "Printer fire"},
                HTTP_HX_REQUEST="true")  # fmt: skip
    assert ticket.citations.get().document == doc
    response = client.post(f"/policies/t/{ticket.pk}/exception",
                           {"document": doc.pk, "why": "", "instead": "x"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 422
    assert _login(world, "contact").get(f"/policies/t/{ticket.pk}/panel").status_code == 403
