"""The unread count on the bell of every signed-in page.

Lazy and memoised: a page that never draws the bell (a fragment, an anonymous page)
runs no query, and one that does runs exactly one however often it asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from rapport.notifications.queries import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found: list[int] = []

    def count() -> int:
        if not found:
            found.append(unread_count(user))
        return found[0]

    counter: Callable[[], int] = count
    return {"unread_notifications": counter}
