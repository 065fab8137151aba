"""Every page in the viewer's own time zone.

Django converts each aware datetime a template prints to the *current* zone; this
activates the signed-in person's (`Person.time_zone`) for the request, so the desk
thread, the lists and the notifications read like the viewer's own clock. Reading
`request.user` costs nothing extra: the session's person is loaded for every signed-in
page anyway, and an anonymous request without a session cookie runs no query.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a zone removed from the tz database since it was chosen


class TimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = getattr(getattr(request, "user", None), "time_zone", "")
        zone = _zone(name) if name else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
