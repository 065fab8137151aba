"""What the improvement actions share: the actor's scope and the checks writers make."""

from __future__ import annotations

from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for

# `actor=None` is the system itself (reactions, tasks, demo).
SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_TEXT = 5_000


def scope_of(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def require_staff(actor: Person | None, doing: str) -> Scope:
    scope = scope_of(actor)
    if not scope.is_staff:
        raise PermissionDenied(f"Only staff can {doing}.")
    return scope


def require_manager(actor: Person | None, doing: str) -> Scope:
    scope = scope_of(actor)
    if not scope.sees_everything:
        raise PermissionDenied(f"Only managers and admins can {doing}.")
    return scope


def text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise Invalid("This field is required.", field=field)
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return value
