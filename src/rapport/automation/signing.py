"""Signing webhook payloads (HMAC-SHA256 over the timestamp and the body).

A receiver verifies a delivery like this (see docs/webhooks.md):

1. Read the headers `X-Rapport-Timestamp` (Unix seconds) and `X-Rapport-Signature`
   (`v1=<hex>`), and the raw body bytes as received.
2. Reject it when the timestamp is more than five minutes from the receiver's clock:
   a captured request cannot be replayed later.
3. Compute `HMAC-SHA256(secret, f"{timestamp}." + body)` and compare it with the hex
   in constant time (`hmac.compare_digest`). The timestamp is inside the MAC, so it
   cannot be changed to make an old request look fresh.
4. Optionally remember `X-Rapport-Delivery` ids for those five minutes and drop a
   repeat: a retried delivery carries the same id and a fresh timestamp.
"""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300
TIMESTAMP = "X-Rapport-Timestamp"
SIGNATURE = "X-Rapport-Signature"
DELIVERY = "X-Rapport-Delivery"
EVENT = "X-Rapport-Event"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret: str, timestamp: str, signed: str, body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> bool:  # fmt: skip
    """What a receiver does: a fresh timestamp and a matching MAC."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - ts) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, ts, body), signed or "")
