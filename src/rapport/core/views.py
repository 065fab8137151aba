from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rapport import __version__
from rapport.core import health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health.check()
    report["version"] = __version__
    return JsonResponse(report, status=200 if healthy else 503)
