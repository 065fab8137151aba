"""Domain errors raised by actions and queries; the API turns them into problem documents."""

from __future__ import annotations


class RapportError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class PermissionDenied(RapportError):
    status = 403
    title = "Forbidden"


class NotFound(RapportError):
    status = 404
    title = "Not found"


class Invalid(RapportError):
    """The request is well formed but breaks a rule of the domain."""

    status = 422
    title = "Invalid request"


class Conflict(RapportError):
    status = 409
    title = "Conflict"


class TooLarge(RapportError):
    status = 413
    title = "Payload too large"
