"""Macros: writing them, and applying one to a ticket from the reply box.

Applying renders the reply text for the ticket (sandboxed placeholders), runs the
macro's field actions as the agent (their permissions hold) and counts the use; the
text goes into the reply box for the agent to read and send.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from rapport.automation import render
from rapport.automation.actions import apply
from rapport.automation.models import Macro, Visibility
from rapport.core import clock
from rapport.core.errors import Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, Team, TeamMembership
from rapport.directory.queries import scope_for
from rapport.policies.models import Document
from rapport.tickets.actions.common import scope_of
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import require_provider_staff


def _may_edit(actor: Person, macro: Macro) -> bool:
    scope = scope_for(actor)
    if scope.is_admin:
        return True
    if macro.visibility == Visibility.PERSONAL:
        return macro.owner_id == actor.pk
    if macro.visibility == Visibility.TEAM:
        return TeamMembership.objects.filter(person=actor, team_id=macro.team_id or 0).exists()
    return False


def _clean(actor: Person, data: dict[str, Any], macro: Macro | None) -> dict[str, Any]:
    scope = scope_for(actor)
    if not scope.is_staff:
        raise PermissionDenied("Only staff write macros.")
    merged = {} if macro is None else {
        "title": macro.title, "shortcut": macro.shortcut, "body": macro.body,
        "actions": macro.actions, "visibility": macro.visibility, "team": macro.team_id,
        "document": macro.document_id,
    }  # fmt: skip
    merged.update({k: v for k, v in data.items() if v is not None})
    title = str(merged.get("title") or "").strip()
    if not title or len(title) > 120:
        raise Invalid("A title of 1–120 characters is needed.", field="title")
    shortcut = str(merged.get("shortcut") or "").strip().lower()
    if len(shortcut) > 40 or (shortcut and not shortcut.replace("-", "").isalnum()):
        raise Invalid("A shortcut is letters, digits and dashes.", field="shortcut")
    body = render.check(str(merged.get("body") or ""))
    steps = apply.clean(merged.get("actions") or [], apply.MACRO_ACTIONS)
    if not body.strip() and not steps:
        raise Invalid("A macro needs reply text or an action.", field="body")
    visibility = merged.get("visibility") or Visibility.PERSONAL
    if visibility not in Visibility.values:
        raise Invalid("Visibility is personal, team or everyone.", field="visibility")
    if visibility == Visibility.EVERYONE and not scope.is_admin:
        raise PermissionDenied("Only admins share macros with everyone.")
    team = None
    if visibility == Visibility.TEAM:
        team = Team.objects.filter(pk=merged.get("team") or 0).first()
        if team is None:
            raise Invalid("Name the team that shares this macro.", field="team")
        if (
            not scope.is_admin
            and not TeamMembership.objects.filter(person=actor, team=team).exists()
        ):
            raise PermissionDenied("You can share macros only with your own teams.")
    document, version = None, None
    if merged.get("document"):
        document = (
            Document.objects.select_related("published").filter(pk=merged["document"]).first()
        )
        if document is None:
            raise NotFound(f"There is no document {merged['document']}.", field="document")
        version = document.published.number if document.published else None
    return {"title": title, "shortcut": shortcut, "body": body, "actions": steps,
            "visibility": visibility, "team": team, "document": document,
            "document_version": version}  # fmt: skip


@transaction.atomic
def create_macro(actor: Person, data: dict[str, Any]) -> Macro:
    fields = _clean(actor, data, None)
    now = clock.now()
    return Macro.objects.create(owner=actor, created_at=now, updated_at=now, **fields)


@transaction.atomic
def update_macro(actor: Person, macro: Macro, data: dict[str, Any]) -> Macro:
    if not _may_edit(actor, macro):
        raise PermissionDenied("You may use this macro but not change it.")
    for key, value in _clean(actor, data, macro).items():
        setattr(macro, key, value)
    macro.updated_at = clock.now()
    macro.save()
    return macro


@transaction.atomic
def delete_macro(actor: Person, macro: Macro) -> None:
    if not _may_edit(actor, macro):
        raise PermissionDenied("You may use this macro but not delete it.")
    macro.delete()


@transaction.atomic
def apply_macro(actor: Person, macro: Macro, ticket: Ticket) -> str:
    """Run the macro's field actions on the ticket and return its reply text, rendered."""
    require_provider_staff(scope_of(actor), ticket, "use macros")
    text = render.render(macro.body, ticket, actor)
    apply.run(ticket, macro.actions, actor=actor, owner=actor, label=f"macro {macro.title}")
    Macro.objects.filter(pk=macro.pk).update(usage_count=F("usage_count") + 1)
    return text
