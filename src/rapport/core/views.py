from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rapport import __version__
from rapport.core import health, tokens
from rapport.core.models import ApiToken
from rapport.directory.models import Person
from rapport.directory.queries import scope_for


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health.check()
    report["version"] = __version__
    return JsonResponse(report, status=200 if healthy else 503)


@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: staff work in the desk; clients, employees and vendor users
    in the portal."""
    person = cast(Person, request.user)
    return redirect("desk:home" if scope_for(person).is_staff else "portal:home")


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """Who you are, your API tokens."""
    person = cast(Person, request.user)
    context = {
        "scope": scope_for(person),
        "tokens": ApiToken.objects.filter(person=person, revoked_at__isnull=True),
        "new_key": request.session.pop("new_token_key", None),
    }
    return render(request, "core/account.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    _, key = tokens.create_token(person, person, name=request.POST.get("name", "")[:100])
    # Shown once on the next page, then gone: only its hash is stored.
    request.session["new_token_key"] = key
    return redirect("account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    person = cast(Person, request.user)
    token = ApiToken.objects.filter(pk=token_id, person=person).first()
    if token is not None:
        tokens.revoke_token(person, token)
    return redirect("account")
