"""What the training actions share: who the actor is and who they may act for."""

from __future__ import annotations

from rapport.core.errors import Invalid, PermissionDenied
from rapport.directory.models import Person, TeamMembership
from rapport.directory.queries import Scope, scope_for

# `actor=None` is the system itself (demo, sweeps, reactions).
SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_TEXT = 20_000


def scope_of(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def require_staff(scope: Scope, doing: str) -> None:
    if not scope.is_staff:
        raise PermissionDenied(f"Only staff can {doing}.")


def require_manager(scope: Scope, doing: str) -> None:
    if not scope.sees_everything:
        raise PermissionDenied(f"Only admins and managers can {doing}.")


def is_lead(scope: Scope) -> bool:
    return bool(scope.lead_team_party_ids)


def leads(scope: Scope, person_id: int) -> bool:
    """True when the actor leads a team the person belongs to (or sees everything)."""
    if scope.sees_everything:
        return True
    if not scope.lead_team_party_ids:
        return False
    return TeamMembership.objects.filter(
        person_id=person_id, team__party_id__in=scope.lead_team_party_ids
    ).exists()


def text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("This field is required.", field=field)
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    if "\x00" in value:
        raise Invalid("Text may not contain NUL characters.", field=field)
    return value
