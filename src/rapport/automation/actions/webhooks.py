"""Webhooks: subscriptions, queuing a delivery per subscribed event, and sending them.

Deliveries are claimed like the SLA sweeper claims clocks: a batch of due rows is
taken (SKIP LOCKED on PostgreSQL) and its `next_attempt_at` pushed past a lease in
the same transaction, then sent outside it, so two workers never send one delivery
at once and a worker that dies mid-send only delays it by the lease. A failed
attempt is retried with exponential backoff; after MAX_ATTEMPTS it is failed. A
webhook whose attempts keep failing (DISABLE_AFTER in a row) is disabled and its
owner told. The secret never leaves this module except as a signature.
"""

from __future__ import annotations

import json
import logging
import secrets as secret_source
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from django.db import connection, transaction
from django.db.models import F

from rapport.automation import queries, signing
from rapport.automation.actions.apply import enqueue
from rapport.automation.models import Delivery, DeliveryState, Webhook
from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.directory.models import Person
from rapport.notifications.actions import notify
from rapport.tickets.models import Event, Ticket

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
LEASE = timedelta(minutes=2)
DISABLE_AFTER = 20
TIMEOUT_SECONDS = 10
BATCH = 50
MAX_KINDS = 40


def new_secret() -> str:
    return secret_source.token_urlsafe(32)


def _clean(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if creating or data.get("name") is not None:
        name = str(data.get("name") or "").strip()
        if not name or len(name) > 120:
            raise Invalid("A name of 1–120 characters is needed.", field="name")
        out["name"] = name
    if creating or data.get("url") is not None:
        url = str(data.get("url") or "")
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
            raise Invalid("The target is an http(s) URL.", field="url")
        out["url"] = url
    if creating or data.get("kinds") is not None:
        kinds = data.get("kinds")
        if (
            not isinstance(kinds, list)
            or not kinds
            or len(kinds) > MAX_KINDS
            or not all(isinstance(k, str) and 0 < len(k) <= 32 for k in kinds)
        ):
            raise Invalid("Kinds are a list of event kinds.", field="kinds")
        out["kinds"] = sorted(set(kinds))
    if data.get("secret") is not None or creating:
        secret = data.get("secret") or new_secret()
        if not isinstance(secret, str) or not 16 <= len(secret) <= 200:
            raise Invalid("A secret has 16–200 characters.", field="secret")
        out["secret"] = secret
    if data.get("is_active") is not None:
        out["is_active"] = bool(data["is_active"])
    return out


@transaction.atomic
def create_webhook(actor: Person | None, data: dict[str, Any]) -> Webhook:
    queries.require_admin(actor)
    fields = _clean(data, creating=True)
    owner = actor or Person.objects.filter(staff_role="admin").order_by("id").first()
    if owner is None:
        raise Invalid("A webhook needs an owner; create an admin first.")
    now = clock.now()
    return Webhook.objects.create(owner=owner, created_at=now, updated_at=now, **fields)


@transaction.atomic
def update_webhook(actor: Person | None, hook: Webhook, data: dict[str, Any]) -> Webhook:
    queries.require_admin(actor)
    for key, value in _clean(data, creating=False).items():
        setattr(hook, key, value)
    if data.get("is_active"):
        hook.consecutive_failures, hook.disabled_at, hook.disabled_reason = 0, None, ""
    hook.updated_at = clock.now()
    hook.save()
    return hook


@transaction.atomic
def delete_webhook(actor: Person | None, hook: Webhook) -> None:
    queries.require_admin(actor)
    hook.delete()


def queue_for(event: Event, ticket: Ticket) -> int:
    """A delivery for every active webhook subscribed to this event's kind (once each)."""
    if event.data.get("muted"):
        return 0
    hooks = [h for h in Webhook.objects.filter(is_active=True) if event.kind in h.kinds]
    return sum(1 for h in hooks if enqueue(h, event, ticket) is not None)


# --- sending ------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_MAX)


def _claim(now: datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        qs = Delivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now, webhook__is_active=True
        ).order_by("next_attempt_at", "id")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING,
                                next_attempt_at__lte=now).update(
            next_attempt_at=now + LEASE, attempts=F("attempts") + 1
        )  # fmt: skip
    return list(Delivery.objects.filter(pk__in=ids).select_related("webhook"))


def _post(hook: Webhook, delivery: Delivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    stamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked when saved)
        hook.url, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Rapport-Webhooks/1",
                 signing.TIMESTAMP: str(stamp),
                 signing.SIGNATURE: signing.signature(hook.secret, stamp, body),
                 signing.DELIVERY: str(delivery.pk),
                 signing.EVENT: str(delivery.payload.get("event", {}).get("kind", ""))},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, type(exc).__name__ + f": {reason}"[:200]


def deliver_due(now: datetime | None = None, *, limit: int = BATCH) -> int:
    """Send what is due; returns the attempts made."""
    now = now or clock.now()
    claimed = _claim(now, limit)
    for delivery in claimed:
        started = time.monotonic()
        code, error = _post(delivery.webhook, delivery)
        latency = int((time.monotonic() - started) * 1000)
        record(delivery, code, error, latency)
    return len(claimed)


@transaction.atomic
def record(delivery: Delivery, code: int | None, error: str, latency_ms: int) -> Delivery:
    now = clock.now()
    ok = code is not None and 200 <= code < 300
    delivery.response_code, delivery.latency_ms = code, latency_ms
    delivery.error = "" if ok else error[:500]
    delivery.updated_at = now
    hook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    if ok:
        delivery.state, delivery.next_attempt_at = DeliveryState.DELIVERED, None
        hook.consecutive_failures = 0
    else:
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        hook.consecutive_failures += 1
        log.info("webhook %s delivery %s failed: %s", hook.pk, delivery.pk, delivery.error)
        if hook.is_active and hook.consecutive_failures >= DISABLE_AFTER:
            hook.is_active, hook.disabled_at = False, now
            hook.disabled_reason = f"{hook.consecutive_failures} failed attempts in a row"
            text = (
                f"Webhook “{hook.name}” was disabled after {hook.consecutive_failures} "
                "failed deliveries in a row. Fix the receiver, then enable it again."
            )
            notify([hook.owner], "webhook_disabled", None, text)
    hook.updated_at = now
    hook.save(update_fields=["consecutive_failures", "is_active", "disabled_at",
                             "disabled_reason", "updated_at"])  # fmt: skip
    delivery.save(update_fields=["state", "next_attempt_at", "response_code", "latency_ms",
                                 "error", "updated_at"])  # fmt: skip
    return delivery
