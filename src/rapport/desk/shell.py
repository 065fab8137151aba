"""The one navigation of every signed-in page: which areas a person may open.

A context processor, lazy like the bell: a fragment or an anonymous page never builds
it, and a page that does reads only the person's scope (cached for the request). An
area whose app is not installed (its URL name does not resolve) is left out, so the
navigation follows the apps as they land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


def _href(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _areas(scope: Scope) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, URL name, the path prefixes it owns) of the areas this person may open."""
    staff = scope.is_staff
    measured = scope.sees_everything or bool(scope.team_party_ids | scope.provider_org_party_ids)
    areas: list[tuple[str, str, tuple[str, ...]]] = []
    if staff:
        areas.append(("Desk", "desk:home", ("/desk/", "/chain/", "/policies/")))
        if scope.sees_everything:
            areas.append(("Dashboard", "desk:dashboard", ()))
    if not staff:
        areas.append(("My requests", "portal:home", ("/portal/",)))
        areas.append(("Knowledge base", "kb:home", ("/kb/",)))
    elif scope.client_party_ids:
        areas.append(("Portal", "portal:home", ("/portal/", "/kb/")))
    if measured:
        areas.append(("Scorecards", "scorecards:dashboard", ("/scorecards/",)))
    if staff:
        areas.append(("Improvement", "improvement:home", ()))
        areas.append(("People", "people:home", ()))
        areas.append(("At-risk", "proactive:home", ()))
    if scope.sees_everything:
        areas.append(("Automation", "automation:home", ()))
    if scope.is_admin:
        areas.append(("Settings", "settings:home", ("/settings/",)))
    return areas


def navigation_for(person: Person, path: str) -> list[NavItem]:
    items = []
    best = ""
    found = []
    for label, name, prefixes in _areas(scope_for(person)):
        href = _href(name)
        if href is None:
            continue
        owned = prefixes or (href,)
        match = max((p for p in owned if path.startswith(p)), key=len, default="")
        found.append((label, href, match))
        if len(match) > len(best):
            best = match
    for label, href, match in found:
        items.append(NavItem(label, href, bool(best) and match == best))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    built: list[list[NavItem]] = []

    def items() -> list[NavItem]:
        if not built:
            built.append(navigation_for(cast(Person, user), request.path))
        return built[0]

    lazy: Callable[[], list[NavItem]] = items
    return {"shell_nav": lazy}
