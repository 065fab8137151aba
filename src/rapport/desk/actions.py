"""The desk's writers: saved views, and bulk changes made ticket by ticket through
the ticket actions (each checks its own permission and runs in its own transaction,
so one refused ticket never undoes the others)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from rapport.core import clock
from rapport.core.choices import Priority
from rapport.core.errors import Invalid, NotFound, PermissionDenied, RapportError
from rapport.desk.models import ClientNote, SavedView
from rapport.directory.models import Party, Person
from rapport.directory.queries import scope_for, visible_people
from rapport.tickets import actions as ticket_actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets.models import Status, Ticket

MAX_VIEWS = 50
MAX_NOTE = 5000


@transaction.atomic
def save_view(actor: Person, *, name: str, queue: str, query: str) -> SavedView:
    if not scope_for(actor).is_staff:
        raise PermissionDenied("Only staff have saved views.")
    name = " ".join(name.split())
    if not name:
        raise Invalid("A view needs a name.", field="name")
    if SavedView.objects.filter(owner=actor).count() >= MAX_VIEWS:
        raise Invalid(f"You can keep at most {MAX_VIEWS} views.", field="name")
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                owner=actor, name=name[:80], queue=queue, query=query[:1000],
                created_at=clock.now(),
            )  # fmt: skip
    except IntegrityError:
        raise Invalid(f"You already have a view called {name!r}.", field="name")


@transaction.atomic
def delete_view(actor: Person, view_id: int) -> None:
    deleted, _ = SavedView.objects.filter(owner=actor, pk=view_id).delete()
    if not deleted:
        raise NotFound("You have no such view.")


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _change(actor: Person, ticket: Ticket, action: str, value: str) -> None:
    scope = scope_for(actor)
    if action == "assign":
        assignee = None
        if value:
            if not value.isdigit():
                raise Invalid("Choose someone to assign.", field="value")
            assignee = visible_people(scope).filter(pk=int(value)).first()
            if assignee is None:
                raise NotFound("There is no such person.", field="value")
        ticket_actions.assign(actor, ticket, assignee)
    elif action == "status":
        status = Status.objects.filter(slug=value).first()
        if status is None:
            raise Invalid(f"There is no status {value!r}.", field="value")
        ticket_actions.set_status(actor, ticket, status)
    elif action == "priority":
        try:
            priority = Priority(int(value))
        except ValueError:
            raise Invalid("Choose a priority.", field="value")
        ticket_actions.set_priority(actor, ticket, priority)
    elif action == "tag":
        ticket_actions.tag(actor, ticket, [value])
    else:
        raise Invalid(f"Unknown bulk action {action!r}.", field="action")


def bulk_change(actor: Person, numbers: list[int], action: str, value: str) -> BulkResult:
    """Apply one change to each ticket; what was refused is reported, not raised."""
    scope = scope_for(actor)
    result = BulkResult()
    for number in dict.fromkeys(numbers):
        try:
            with transaction.atomic():
                ticket = ticket_queries.get_ticket(scope, number)
                _change(actor, ticket, action, value)
        except RapportError as error:
            result.failed.append((number, error.detail))
        else:
            result.done.append(number)
    return result


@transaction.atomic
def add_client_note(
    actor: Person, *, party: Party | None = None, person: Person | None = None, body: str
) -> ClientNote:
    """A staff-only note about a client party or a person (plain text, shown escaped)."""
    if not scope_for(actor).is_staff:
        raise PermissionDenied("Notes about clients are for staff.")
    if (party is None) == (person is None):
        raise Invalid("A note is about one client or one person.")
    body = body.strip()
    if not body:
        raise Invalid("Write the note first.", field="body")
    if len(body) > MAX_NOTE:
        raise Invalid(f"A note holds at most {MAX_NOTE} characters.", field="body")
    return ClientNote.objects.create(
        party=party, person=person, author=actor, body=body, created_at=clock.now()
    )
