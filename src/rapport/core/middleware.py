"""Errors that happen before a view (no route, body too large) still answer
API clients with a problem document rather than an HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from rapport.core.api_input import check_request
from rapport.core.problems import CONTENT_TYPE, TITLES, problem
from rapport.core.schemas import NUL_REFUSED

API_PREFIX = "/api/"


class ProblemDetailsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refused = check_request(request) or _refuse_nul_in_query(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(CONTENT_TYPE)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            detail = {
                404: "No such resource.",
                405: "That method is not allowed here.",
                413: "The request body is too large.",
            }.get(status, TITLES.get(status, "Error"))
            replacement = problem(status, detail)
            if status == 405 and response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


def _refuse_nul_in_query(request: HttpRequest) -> HttpResponse | None:
    """Query strings get the same NUL rule as bodies (`core.schemas.refuse_nul`)."""
    fields = sorted(
        {
            name
            for name, values in request.GET.lists()
            for value in [name, *values]
            if "\x00" in value
        }
    )
    if not fields:
        return None
    errors = [
        {"field": name, "in": "query", "message": NUL_REFUSED, "type": "string_nul"}
        for name in fields
    ]
    return problem(422, "The request does not match the schema.", errors=errors)
