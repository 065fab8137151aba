"""What the policies actions share: the actor's scope and the checks every writer makes."""

from __future__ import annotations

from datetime import datetime

from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for
from rapport.policies import queries
from rapport.policies.models import Document

# `actor=None` is the system itself (demo, tasks, the exception threshold).
SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_TEXT = 20_000
MAX_BODY = 200_000


def scope_of(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def require_staff(scope: Scope, doing: str) -> None:
    if not scope.is_staff:
        raise PermissionDenied(f"Only staff can {doing}.")


def require_editor(scope: Scope, document: Document, doing: str) -> None:
    """Seeing is checked first (404), then owning (403)."""
    queries.get_document(scope, document.pk) if scope.person_id is not None else None
    if not queries.may_edit(scope, document):
        raise PermissionDenied(f"Only the document's owner or an admin can {doing}.")


def text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("This field is required.", field=field)
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return value


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    # The last day of a shorter month stands in for the 29th–31st.
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
