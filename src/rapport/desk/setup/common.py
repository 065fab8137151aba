"""What every Settings page shares: admins only (404 for anyone else, as for any page a
person may not see), and a domain error shown on its field."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.directory.queries import scope_for

View = Callable[..., HttpResponse]


def admin_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scope_for(cast(Person, request.user)).is_admin:
            raise Http404("There is no such page.")
        return view(request, *args, **kwargs)

    return wrapper


def admin(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def report(form: forms.Form, exc: RapportError) -> None:
    """A rule only the action could check: on its field, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)
