"""Login throttling: failed sign-ins are counted per username and per address; past
the limit, sign-in is refused (even with the right password) until the window has
passed, so guessing a password costs hours, not seconds.

The counters are shared by every web process and survive a restart: in Redis when
`REDIS_URL` is set (atomic INCR on the shared cache), otherwise in the database
(`core.LoginFailure`, one row per key, incremented by a single UPDATE). They used to
live in each process's memory, which let an attacker spread guesses over the
processes: with two web workers, twice the documented failures per username.

The writes here are counters, not domain objects: they are this module's own and
are listed as such where writes outside actions are checked.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.http import HttpRequest

from rapport.core import clock
from rapport.core.models import LoginFailure


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = (request.META.get("REMOTE_ADDR", "") or "unknown")[:45]
    return f"login-fail:user:{name}", f"login-fail:addr:{address}"


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def is_locked(request: HttpRequest, username: str) -> bool:
    user_key, addr_key = _keys(request, username)
    if _shared_cache():
        counts = cache.get_many([user_key, addr_key])
    else:
        counts = dict(
            LoginFailure.objects.filter(
                key__in=[user_key, addr_key], window_ends_at__gt=clock.now()
            ).values_list("key", "count")
        )
    return (
        counts.get(user_key, 0) >= settings.LOGIN_FAILURES_PER_USERNAME
        or counts.get(addr_key, 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        if _shared_cache():
            _count_in_cache(key)
        else:
            _count_in_database(key)


def _count_in_cache(key: str) -> None:
    # add() starts the window; incr() keeps its expiry, so the window is fixed.
    if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def _count_in_database(key: str) -> None:
    """One UPDATE counts a failure, or starts a new window if the old one is over;
    the row is created by the first failure (a racing creator just counts again)."""
    now = clock.now()
    window_end = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    current = When(window_ends_at__gt=now, then=F("count") + 1)
    for _ in range(3):
        with transaction.atomic():
            counted = LoginFailure.objects.filter(key=key).update(
                count=Case(current, default=1),
                window_ends_at=Case(
                    When(window_ends_at__gt=now, then=F("window_ends_at")), default=window_end
                ),
            )
            if counted:
                break
            try:
                with transaction.atomic():
                    LoginFailure.objects.create(key=key, count=1, window_ends_at=window_end)
                break
            except IntegrityError:
                continue
    # Windows long over are litter: failures are rare, so tidying here costs nothing.
    LoginFailure.objects.filter(window_ends_at__lt=now - timedelta(days=1)).delete()


def clear(request: HttpRequest, username: str) -> None:
    user_key = _keys(request, username)[0]
    if _shared_cache():
        cache.delete(user_key)
    else:
        LoginFailure.objects.filter(key=user_key).delete()
