"""Who may do what to one ticket, decided from the ticket's own columns (no queries).

These mirror `queries.visibility`; the actions call them so that every
writer is checked whatever entry point (API, web, mail, task) called it.
"""

from __future__ import annotations

from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.queries import Scope
from rapport.tickets.models import Side, Ticket
from rapport.tickets.queries import can_see_internal


def can_view(scope: Scope, ticket: Ticket) -> bool:
    if scope.sees_everything:
        return True
    if scope.person_id is None:
        return False
    return (
        ticket.requester_id == scope.person_id
        or (scope.is_staff and ticket.assignee_id == scope.person_id)
        or (scope.is_staff and ticket.provider_party_id in scope.team_party_ids)
        or (scope.is_staff and ticket.client_party_id in scope.team_party_ids)
        or ticket.provider_party_id in scope.provider_org_party_ids
        or ticket.client_party_id in scope.admin_org_party_ids
    )


def side_of(scope: Scope, ticket: Ticket) -> Side:
    """Whether the person acts for the provider or the client on this ticket."""
    if scope.serves(ticket.provider_party_id):
        return Side.PROVIDER
    if scope.is_staff and ticket.assignee_id == scope.person_id:
        return Side.PROVIDER
    return Side.CLIENT


def require_view(scope: Scope, ticket: Ticket) -> None:
    if not can_view(scope, ticket):
        raise NotFound(f"There is no ticket #{ticket.pk} you can see.")


def require_provider(scope: Scope, ticket: Ticket, doing: str) -> None:
    require_view(scope, ticket)
    if side_of(scope, ticket) != Side.PROVIDER:
        raise PermissionDenied(f"Only the provider's staff can {doing}.")


def require_provider_staff(scope: Scope, ticket: Ticket, doing: str) -> None:
    require_view(scope, ticket)
    if not can_see_internal(scope, ticket):
        raise PermissionDenied(f"Only staff of the providing team can {doing}.")


def require_terms_owner(scope: Scope, ticket: Ticket, doing: str) -> None:
    """The agreement and priority measure the provider: only our staff set them.

    On our own work that is the providing team (and the assignee, admins, managers);
    on work handed to a vendor or contractor it is the team that handed it off. The
    vendor's or contractor's users act on the ticket (reply, ask for information,
    solve) but may not change the terms they are measured by.
    """
    require_view(scope, ticket)
    if can_see_internal(scope, ticket):
        return
    if side_of(scope, ticket) == Side.PROVIDER:
        raise PermissionDenied(
            f"Only the team that handed this work over can {doing}; you may reply, "
            "ask for information and solve it."
        )
    raise PermissionDenied(f"Only the provider's staff can {doing}.")
