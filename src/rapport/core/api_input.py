"""Bounds on every value the API takes in, checked once for every operation.

Pydantic accepts any date from year 1 to 9999 and integers of any size; the first
arithmetic on such a value (a time-zone conversion, business minutes added, a
database column) raised OverflowError or ValueError deep in an app, and the API
answered 500. Rather than remember bounds on each of the hundred date and number
parameters, `bounded` runs after ninja has parsed an operation's input and walks
it: a date or datetime outside years MIN_YEAR..MAX_YEAR is a 422 problem document
naming the field. (Numbers carry their bounds in their schemas; an id too large for
any database column is no such object, 404, where it is looked up.)

The request-level checks (`check_request`) come before any parsing: a body in a
media type the API does not read (415), a query string over the limit (414, below
the web server's own request-line limit so that the answer is a problem document,
not the server's HTML page).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel

from rapport.core.errors import Invalid
from rapport.core.problems import problem

MIN_YEAR, MAX_YEAR = 1900, 2999
# Below gunicorn's --limit-request-line (set to 8190 by `rapport serve`, the most it
# allows; its default is 4094), which also holds the method, path and protocol.
MAX_QUERY_STRING = 4000
# What the API reads from a body: JSON, and files (multipart) on the upload routes.
BODY_TYPES = ("application/json", "multipart/form-data")
# ninja names the parameter holding a query schema; clients know the fields inside.
CONTAINERS = {"payload", "params", "filters"}


def bounded(view: Callable[..., Any]) -> Callable[..., Any]:
    """An operation decorator (ninja "operation" mode: after validation)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            _check(value, [] if name in CONTAINERS else [name])
        return view(request, *args, **kwargs)

    return checked


def _check(value: Any, path: list[str]) -> None:
    field = ".".join(path)
    if isinstance(value, datetime):
        years = [value.year]
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                years.append(value.astimezone(UTC).year)
            except OverflowError:
                years.append(0)
        if not all(MIN_YEAR <= year <= MAX_YEAR for year in years):
            raise Invalid(f"Times are between the years {MIN_YEAR} and {MAX_YEAR}.", field=field)
    elif isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise Invalid(f"Dates are between the years {MIN_YEAR} and {MAX_YEAR}.", field=field)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _check(getattr(value, name, None), [*path, name])
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(item, [*path, str(key)])
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, [*path, str(index)])


def check_request(request: HttpRequest) -> HttpResponse | None:
    """Refusals that come before parsing; None when the request may go on."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return problem(
            414,
            f"The query string is {len(query)} characters; the limit is {MAX_QUERY_STRING}.",
            errors=[{"field": "query", "in": "query",
                     "message": f"At most {MAX_QUERY_STRING} characters."}],
        )  # fmt: skip
    if request.method in ("POST", "PUT", "PATCH") and _has_body(request):
        media = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if not (
            media in BODY_TYPES or (media.startswith("application/") and media.endswith("+json"))
        ):
            return problem(
                415,
                f"Send the body as application/json (files as multipart/form-data), "
                f"not {media or 'without a Content-Type'}.",
            )
        if media == "multipart/form-data" and "boundary=" not in request.META.get(
            "CONTENT_TYPE", ""
        ):
            return problem(400, "A multipart body needs a boundary in its Content-Type.")
    return None


def _has_body(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True
