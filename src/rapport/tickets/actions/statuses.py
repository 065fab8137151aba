"""The statuses an admin names: new ones within a category, renamed, reordered, and the
default of a category (what a new or reopened ticket of it gets). Clocks, queues and
reports read only the category, so none of this changes a measure."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.tickets.actions.common import scope_of
from rapport.tickets.models import Status

MAX_NAME = 80


def _require_admin(actor: Person | None) -> None:
    if not scope_of(actor).is_admin:
        raise PermissionDenied("Only an admin can change the statuses.")


def _clean_name(name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid("A status needs a name.", field="name")
    if len(name) > MAX_NAME:
        raise Invalid(f"A status name is at most {MAX_NAME} characters.", field="name")
    clash = Status.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Conflict(f"A status called {name!r} exists already.", field="name")
    return name


@transaction.atomic
def create_status(actor: Person | None, *, name: str, category: str) -> Status:
    _require_admin(actor)
    if category not in StatusCategory.values:
        raise Invalid(f"Unknown category {category!r}.", field="category")
    name = _clean_name(name)
    base = slugify(name)[:34] or "status"
    slug, n = base, 1
    while Status.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    last = Status.objects.aggregate(last=Max("position"))["last"] or 0
    return Status.objects.create(slug=slug, name=name, category=category, position=last + 1)


@transaction.atomic
def update_status(
    actor: Person | None,
    status: Status,
    *,
    name: str | None = None,
    position: int | None = None,
    is_default: bool | None = None,
) -> Status:
    _require_admin(actor)
    if name is not None:
        status.name = _clean_name(name, exclude=status.pk)
    if position is not None:
        if not 0 <= position <= 1000:
            raise Invalid("The position is between 0 and 1000.", field="position")
        status.position = position
    if is_default:
        # One default per category: the others of the category stop being it.
        Status.objects.filter(category=status.category).exclude(pk=status.pk).update(
            is_default=False
        )
        status.is_default = True
    elif is_default is False and status.is_default:
        raise Invalid(
            "Make another status of the category its default instead.", field="is_default"
        )
    status.save()
    return status
