"""Who may open the staff pages (the desk, chain, settings): signed-in staff. Clients and
vendor users get the portal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scope_for(cast(Person, request.user)).is_staff:
            return render(request, "directory/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def my_scope(request: HttpRequest) -> Scope:
    return scope_for(me(request))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
