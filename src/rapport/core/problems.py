"""RFC 9457 problem documents for every API error."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rapport.core.errors import RapportError

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorised",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    414: "URI too long",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
    507: "Insufficient storage",
}


def problem(
    status: int, detail: str, *, errors: list[dict[str, Any]] | None = None, title: str = ""
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


PARAMETER_NAMES = {"payload", "filters", "params"}
# pydantic puts the member of a union that failed into the location ("function-after[…]",
# "literal['']", "str"); clients know fields, not the types behind them.
UNION_MEMBER = re.compile(r"^(str|int|float|bool|none|.*\[.*)$")


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors:
        # ninja prefixes locations with the parameter source ("body", "query", "path").
        loc = [str(part) for part in err.get("loc", ())]
        # ninja names the parameter after the source; clients know fields, not parameters.
        path = loc[2:] if len(loc) >= 2 and loc[1] in PARAMETER_NAMES else loc[1:]
        path = [part for part in path if not UNION_MEMBER.match(part)]
        errors.append(
            {
                "field": ".".join(path) or (loc[0] if loc else ""),
                "in": loc[0] if loc else "",
                "message": err.get("msg", "invalid"),
                "type": err.get("type", ""),
            }
        )
    return errors


def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Map any exception raised under the API to a problem document."""
    if isinstance(exc, RapportError):
        errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
        return problem(exc.status, exc.detail, errors=errors, title=exc.title)
    if isinstance(exc, ValidationError):
        return problem(422, "The request does not match the schema.", errors=_field_errors(exc))
    if isinstance(exc, AuthenticationError):
        return problem(401, "Sign in, or send Authorization: Bearer <token>.")
    if isinstance(exc, HttpError):
        return problem(exc.status_code, str(exc))
    if isinstance(exc, Http404):
        return problem(404, "No such resource.")
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, str(exc) or "You may not do that.")
    if isinstance(exc, RequestDataTooBig):
        return problem(413, "The request body is too large.")
    if isinstance(exc, SuspiciousOperation):
        return problem(400, "The request was rejected as malformed.")
    if isinstance(exc, MultiPartParserError):
        return problem(400, f"The multipart body cannot be read: {exc}")
    if isinstance(exc, OverflowError):
        # The input bounds (`core.api_input`) should have caught it: a value out of
        # range is still the request's fault, so say so rather than answer 500.
        log.warning("A value out of range reached the code: %s", exc)
        return problem(422, "A value in the request is out of range.")
    log.exception("Unhandled API error", exc_info=exc)
    return problem(500, "Something went wrong on our side; it has been logged.")
