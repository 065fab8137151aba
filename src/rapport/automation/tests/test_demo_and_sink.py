"""The demo's automation set saves (every automation has its nullifying condition), and
the in-app sink verifies signatures as a receiver should."""

from __future__ import annotations

import json
import time

from django.test import Client

from rapport.automation import signing
from rapport.automation.demo import build_automation
from rapport.automation.models import Macro, Rule, Webhook
from rapport.testing import World


def test_demo_rules_macros_and_sink(world: World) -> None:
    build_automation("http://127.0.0.1:8765/")
    assert Rule.objects.filter(kind="trigger").count() == 4  # two teams of the world × 2
    assert Rule.objects.filter(kind="automation").count() == 4
    assert Macro.objects.count() == 4
    hook = Webhook.objects.get()
    assert hook.url == f"http://127.0.0.1:8765/automation/sink/{hook.pk}"
    body = json.dumps({"event": {"kind": "created"}}).encode()
    now = int(time.time())
    client = Client()

    def post(signature: str, stamp: int = now) -> int:
        return client.post(f"/automation/sink/{hook.pk}", body, content_type="application/json",
                           headers={signing.TIMESTAMP: str(stamp),
                                    signing.SIGNATURE: signature}).status_code  # fmt: skip

    assert post(signing.signature(hook.secret, now, body)) == 204
    assert post(signing.signature("not-the-secret-at-all", now, body)) == 401
    old = now - 3600
    assert post(signing.signature(hook.secret, old, body), old) == 401  # a replay
