"""The landing page and your own account page (who you are, your API tokens)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rapport.accounts import actions
from rapport.accounts.queries import own_token, tokens_of
from rapport.directory.models import Person
from rapport.directory.queries import scope_for


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
        "tokens": tokens_of(person, active_only=True),
        "new_key": request.session.pop("new_token_key", None),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    _, key = actions.create_token(person, person, name=request.POST.get("name", "")[:100])
    # Shown once on the next page, then gone: only its hash is stored.
    request.session["new_token_key"] = key
    return redirect("account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    person = cast(Person, request.user)
    token = own_token(person, token_id)
    if token is not None:
        actions.revoke_token(person, token)
    return redirect("account")
