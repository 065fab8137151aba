"""The site's URLs plus the floor of `make bench-http`: a trivial page behind the same
middleware (session, CSRF, authentication, messages), so the table shows how far
each real page is from what the stack costs with no work in the view.

Used only when the benchmark starts the server with RAPPORT_URLCONF=bench.http_urls.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rapport.urls import urlpatterns as site


def floor(request: HttpRequest) -> HttpResponse:
    # Touching the user loads the session and the person, as every real page does.
    return HttpResponse(b"ok" if request.user.is_authenticated else b"anonymous")


urlpatterns = [path("bench/floor", floor), *site]
