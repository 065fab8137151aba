"""Raising a ticket through the API is the hottest write: its SQL stays few and fixed."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.fast import enabled as fast_paths
from rapport.testing import World
from rapport.tickets.models import Event, Ticket

# 20 before the reference data was cached and the reply built from what is in hand;
# 13 before the parties came from that copy and the client from the requester's scope;
# with fast paths off (rapport.core.fast), each request reads its reference data afresh.
MOST = 11 if fast_paths() else 15
CACHED = 5 if fast_paths() else 0


def test_creating_a_ticket_via_the_api_takes_a_fixed_small_number_of_queries(
    world: World,
) -> None:
    client = world.client("contact")
    client.get("/api/v1/me")  # a token's use is recorded once a minute: done here

    def create(i: int) -> int:
        body = {"subject": f"Printer {i}", "body": "It jams.", "provider": world.support.party_id}
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/v1/tickets", json.dumps(body), "application/json")
        assert response.status_code == 201, response.content
        data = response.json()
        # The answer is built from what the action had in hand, and is complete.
        assert data["messages"][0]["body_text"] == "It jams."
        assert data["messages"][0]["author"]["id"] == world.contact.pk
        assert data["agreement"]["name"] == "Globex support"
        assert data["status"] == "new"
        return len(captured)

    first = create(-1)  # loads this process's copy of statuses, agreements and parties
    counts = [create(i) for i in range(4)]
    # The open status, the agreements, their targets, the provider and the client.
    assert first == counts[0] + CACHED
    assert len(set(counts)) == 1, counts
    assert counts[0] <= MOST, counts
    # Nothing was left out to get there: the log and clocks are all written.
    ticket = Ticket.objects.order_by("-pk").first()
    assert ticket is not None and ticket.sla_due_at is not None
    kinds = list(Event.objects.filter(ticket=ticket).order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "agreement", "sla_applied", "sla_applied"]


def test_the_answer_lists_the_attachments_the_ticket_claimed(world: World) -> None:
    client = world.client("contact")
    uploaded = [
        client.post("/api/v1/uploads", {"file": _file(name)}).json() for name in ("b.txt", "a.txt")
    ]
    body = {
        "subject": "Logs", "body": "Attached.", "provider": world.support.party_id,
        "attachments": [u["token"] for u in uploaded],
    }  # fmt: skip
    response = client.post("/api/v1/tickets", json.dumps(body), "application/json")
    assert response.status_code == 201, response.content
    names = [a["filename"] for a in response.json()["messages"][0]["attachments"]]
    assert names == ["b.txt", "a.txt"]  # in upload order, as the thread shows them
    detail = client.get(f"/api/v1/tickets/{response.json()['number']}").json()
    assert detail["messages"] == response.json()["messages"]


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"log line\n", content_type="text/plain")
