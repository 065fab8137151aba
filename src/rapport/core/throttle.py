"""Login throttling: failed sign-ins are counted per username and per address in the
cache; past the limit, sign-in is refused (even with the right password) until the
window has passed, so guessing a password costs hours, not seconds."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return f"login-fail:user:{name}", f"login-fail:addr:{address}"


def is_locked(request: HttpRequest, username: str) -> bool:
    user_key, addr_key = _keys(request, username)
    counts = cache.get_many([user_key, addr_key])
    return (
        counts.get(user_key, 0) >= settings.LOGIN_FAILURES_PER_USERNAME
        or counts.get(addr_key, 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the window; incr() keeps its expiry, so the window is fixed.
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0])
