"""What the policies routes share: the router, the caller and the scoped lookups of the
path's document and version (404, never 403)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.models import Person, Team
from rapport.directory.queries import scope_for
from rapport.policies import queries
from rapport.policies.models import Document, Version

router = Router(tags=["policies"])

KindName = Literal["policy", "procedure", "article"]
StatusName = Literal["draft", "in_review", "approved", "published", "retired"]


def caller(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


class TeamRef(Schema):
    id: int
    name: str


def get_team(pk: int, field: str) -> Team:
    found = Team.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"There is no team {pk}.", field=field)
    return found


def path_document(request: HttpRequest, document_id: int) -> Document:
    return queries.get_document(scope_for(caller(request)), document_id)


def path_version(request: HttpRequest, document_id: int, version_number: int) -> Version:
    scope = scope_for(caller(request))
    return queries.get_version(scope, queries.get_document(scope, document_id), version_number)


def staff_document(request: HttpRequest, document_id: int) -> Document:
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    if not scope.is_staff:  # tickets and exceptions are staff knowledge
        raise NotFound(f"There is no document {document_id} you can see.")
    return doc


def editable_document(request: HttpRequest, document_id: int) -> Document:
    """The path's document, if the caller may change it: seeing first (404), then owning
    (403), so the body is judged only for its owner."""
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    if not queries.may_edit(scope, doc):
        raise PermissionDenied("Only the document's owner or an admin can change it.")
    return doc
