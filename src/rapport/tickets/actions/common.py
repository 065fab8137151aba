"""What the ticket actions share: the system's scope, statuses, bodies, subjects, tags,
attachment claims and the search text."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence

from django.db import connection

from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, TooLarge
from rapport.core.fast.reference import Snapshot
from rapport.core.sanitize import clean_html, html_to_text, text_to_html
from rapport.directory.models import Person
from rapport.directory.queries import Scope, scope_for
from rapport.tickets.models import Attachment, Message, Status, Ticket

SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_SUBJECT = 300
MAX_BODY = 200_000
_TAG = re.compile(r"^[\w][\w.:/-]{0,63}$", re.UNICODE)


def scope_of(actor: Person | None) -> Scope:
    """`actor=None` means the system itself (CLI, demo, background jobs)."""
    return SYSTEM if actor is None else scope_for(actor)


def default_status(category: str) -> Status:
    status = (
        Status.objects.filter(category=category).order_by("-is_default", "position", "id").first()
    )
    if status is None:
        raise Invalid(f"No status of category {category!r} is configured.")
    return status


def initial_status(ref: Snapshot | None = None) -> Status:
    """A new ticket's status: the first open status ("New" unless configured otherwise);
    with `ref`, from the process's copy of the reference data."""

    def load() -> Status | None:
        return (
            Status.objects.filter(category=StatusCategory.OPEN).order_by("position", "id").first()
        )

    status = ref.get(("initial_status",), load) if ref is not None else load()
    if status is None:
        raise Invalid("No open status is configured.")
    return status


def message_body(body: str, *, is_html: bool) -> tuple[str, str]:
    """Sanitised HTML and plain text of a message body."""
    if len(body) > MAX_BODY:
        raise TooLarge(f"A message body is at most {MAX_BODY} characters.", field="body")
    body_html = clean_html(body) if is_html else text_to_html(body)
    body_text = html_to_text(body_html)
    if not body_text.strip() and "<img" not in body_html:
        raise Invalid("The message is empty.", field="body")
    return body_html, body_text


def clean_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise Invalid("A ticket needs a subject.", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise Invalid(f"A subject is at most {MAX_SUBJECT} characters.", field="subject")
    return subject


def clean_tag(name: str) -> str:
    tag = unicodedata.normalize("NFC", name).strip().lower().replace(" ", "-")
    if not _TAG.match(tag):
        raise Invalid(
            f"{name!r} is not a tag: use letters, digits and - _ . : /, up to 64.", field="tags"
        )
    return tag


def claim_attachments(
    actor: Person | None, message: Message, tokens: Sequence[str]
) -> list[Attachment]:
    if not tokens:
        return []
    refused = Invalid(
        "An attachment token is unknown, used already, or not yours.", field="attachments"
    )
    try:
        wanted = {uuid.UUID(str(token)) for token in tokens}
    except ValueError:
        raise refused
    rows = list(
        Attachment.objects.select_for_update().filter(token__in=wanted, message__isnull=True)
    )
    if actor is not None:
        rows = [a for a in rows if a.uploader_id == actor.pk]
    if len(rows) != len(wanted):
        raise refused
    Attachment.objects.filter(pk__in=[a.pk for a in rows]).update(message=message)
    for a in rows:
        a.message = message
    return sorted(rows, key=lambda a: a.pk)


def append_search(ticket: Ticket, text: str) -> None:
    # Every public reply appends here: a plain statement (`||` concatenates on both
    # databases) costs a fraction of compiling the ORM's Concat expression each time.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_searchdocument SET body = body || %s WHERE ticket_id = %s",
            ["\n" + text, ticket.pk],
        )


def require_open_thread(ticket: Ticket) -> None:
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}; write there.")
    if ticket.status_category == StatusCategory.CLOSED:
        raise Conflict(f"#{ticket.pk} is closed; reopen it or raise a new request.")
