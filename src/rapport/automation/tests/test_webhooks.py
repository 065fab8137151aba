"""Webhooks against a real HTTP receiver started here, which verifies each signature
the way docs/webhooks.md tells integrators to."""

from __future__ import annotations

import http.server
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from rapport.automation import signing
from rapport.automation.actions import rules, webhooks
from rapport.automation.models import Delivery, DeliveryState, Webhook
from rapport.core import clock
from rapport.notifications.models import Notification
from rapport.testing import World
from rapport.tickets import actions as tickets
from rapport.tickets.testing import drain_reactions

SECRET = "s3cr3t-only-the-receiver-knows"


class Receiver:
    """A local endpoint: answers with the queued codes (then 200), records what it got."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.received: list[dict[str, Any]] = []
        self.rejected = 0
        self.seen: set[str] = set()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = signing.verify(SECRET, self.headers[signing.TIMESTAMP],
                                    self.headers[signing.SIGNATURE], body, time.time())  # fmt: skip
                code = receiver.codes.pop(0) if receiver.codes else 200
                if not ok:
                    receiver.rejected += 1
                    code = 401
                elif code == 200:
                    delivery = self.headers[signing.DELIVERY]
                    if delivery not in receiver.seen:  # replay protection by id
                        receiver.seen.add(delivery)
                        receiver.received.append(json.loads(body))
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def hook(world: World, url: str, kinds: list[str], secret: str = SECRET) -> Webhook:
    return webhooks.create_webhook(world.admin, {"name": "CRM", "url": url, "kinds": kinds,
                                                 "secret": secret})  # fmt: skip


def test_signed_delivery_of_subscribed_kinds(world: World, receiver: Receiver) -> None:
    hook(world, receiver.url, ["created", "status"])
    ticket = world.ticket("contact")
    tickets.add_note(world.agent, ticket, body="not subscribed")
    drain_reactions()
    drain_reactions()  # a replayed pass queues nothing twice
    assert webhooks.deliver_due() == 1
    [got] = receiver.received
    assert got["event"]["kind"] == "created" and got["ticket"]["number"] == ticket.pk
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED and delivery.response_code == 200
    assert delivery.latency_ms is not None and receiver.rejected == 0


def test_a_wrong_secret_or_stale_timestamp_fails_verification(world: World) -> None:
    body = b'{"x": 1}'
    now = time.time()
    good = signing.signature(SECRET, int(now), body)
    assert signing.verify(SECRET, str(int(now)), good, body, now)
    assert not signing.verify("other-secret-0000", str(int(now)), good, body, now)
    assert not signing.verify(SECRET, str(int(now)), good, body + b" ", now)
    assert not signing.verify(SECRET, str(int(now)), good, body, now + 301)  # replayed later


def test_retries_with_backoff_on_500s(world: World, receiver: Receiver) -> None:
    hook(world, receiver.url, ["created"])
    receiver.codes = [500, 503]
    start = clock.now()
    with clock.travel_to(start):
        world.ticket("contact")
        drain_reactions()
        webhooks.deliver_due(start)
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.response_code) == ("pending", 1, 500)
    assert d.next_attempt_at is not None
    assert abs((d.next_attempt_at - start) - timedelta(seconds=30)) < timedelta(seconds=2)
    assert webhooks.deliver_due(start + timedelta(seconds=10)) == 0  # not due yet
    second = start + timedelta(seconds=31)
    with clock.travel_to(second):
        webhooks.deliver_due(second)
    d.refresh_from_db()
    assert (d.attempts, d.response_code) == (2, 503)
    assert d.next_attempt_at is not None
    assert abs((d.next_attempt_at - second) - timedelta(seconds=60)) < timedelta(seconds=2)
    third = second + timedelta(seconds=61)
    with clock.travel_to(third):
        webhooks.deliver_due(third)
    d.refresh_from_db()
    assert (d.state, d.attempts, d.response_code) == ("delivered", 3, 200)
    assert len(receiver.received) == 1


def test_disabled_after_sustained_failure_and_owner_told(
    world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhooks, "DISABLE_AFTER", 3)
    h = hook(world, receiver.url, ["created"])
    receiver.codes = [500] * 10
    for _ in range(3):
        world.ticket("contact")
    drain_reactions()
    webhooks.deliver_due()
    h.refresh_from_db()
    assert not h.is_active and h.disabled_at is not None
    note = Notification.objects.get(recipient=world.admin, kind="webhook_disabled")
    assert "CRM" in note.text
    world.ticket("contact")
    drain_reactions()
    assert webhooks.deliver_due(clock.now() + timedelta(hours=2)) == 0  # disabled: nothing sent


def test_trigger_calls_a_webhook(world: World, receiver: Receiver) -> None:
    h = hook(world, receiver.url, ["sla_breached"])  # not subscribed to "reply"
    rules.create_rule(world.admin, "trigger", {
        "name": "Tell CRM", "conditions": {"all": [
            {"field": "event_kind", "op": "is", "value": "reply"}]},
        "actions": [{"type": "webhook", "value": h.pk}]})  # fmt: skip
    ticket = world.ticket("contact")
    tickets.reply(world.contact, ticket, body="Still broken")
    drain_reactions()
    webhooks.deliver_due()
    assert [r["event"]["kind"] for r in receiver.received] == ["reply"]


def test_the_secret_never_appears_in_api_output_or_logs(
    world: World, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.codes = [500]
    client = world.client("admin")
    body = {"name": "CRM", "url": receiver.url, "kinds": ["created"], "secret": SECRET}
    created = client.post_json("/api/v1/webhooks", body)
    assert created.status_code == 201, created.content
    world.ticket("contact")
    drain_reactions()
    webhooks.deliver_due()
    pk = created.json()["id"]
    pages = [created, client.get("/api/v1/webhooks"), client.get(f"/api/v1/webhooks/{pk}"),
             client.get(f"/api/v1/webhooks/{pk}/deliveries"),
             client.patch_json(f"/api/v1/webhooks/{pk}", {"name": "CRM 2"})]  # fmt: skip
    for page in pages:
        assert page.status_code == 200 or page.status_code == 201, page.content
        assert SECRET not in page.content.decode()
    assert SECRET not in caplog.text
