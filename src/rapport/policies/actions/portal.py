"""The knowledge base's readers: "Was this helpful?" and deflection from new requests."""

from __future__ import annotations

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.directory.models import Person
from rapport.policies import queries
from rapport.policies.actions._common import scope_of
from rapport.policies.models import Deflection, Document, Kind, Vote


def _article(actor: Person, document: Document) -> Document:
    document = queries.get_document(scope_of(actor), document.pk)
    if document.kind != Kind.ARTICLE:
        raise Invalid("Only articles take votes.", field="document")
    return document


@transaction.atomic
def vote(actor: Person, document: Document, *, helpful: bool) -> Vote:
    """One vote per person: voting again changes it."""
    document = _article(actor, document)
    row, _ = Vote.objects.update_or_create(
        document=document, person=actor, defaults={"helpful": helpful, "created_at": clock.now()}
    )
    return row


@transaction.atomic
def opened_from_new_request(actor: Person, document: Document) -> Deflection:
    """The person opened a suggested article while writing a request; counted as
    deflected until they raise a request after all (`raised_request`)."""
    document = _article(actor, document)
    return Deflection.objects.create(
        document=document, person=actor, deflected=True, created_at=clock.now()
    )


@transaction.atomic
def raised_request(actor: Person, since_minutes: int = 60) -> int:
    """The person raised a request: articles opened in the last hour did not deflect it."""
    from datetime import timedelta

    since = clock.now() - timedelta(minutes=since_minutes)
    return Deflection.objects.filter(person=actor, created_at__gte=since, deflected=True).update(
        deflected=False
    )
