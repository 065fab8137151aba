"""The thread: public replies, internal notes and the files they carry."""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from collections.abc import Sequence
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied, TooLarge
from rapport.core.fast import rows
from rapport.core.files import save_field_file
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.tickets import clocks, events, sentiment
from rapport.tickets.actions.common import (
    append_search,
    claim_attachments,
    default_status,
    message_body,
    require_open_thread,
    scope_of,
)
from rapport.tickets.actions.fields import change_status
from rapport.tickets.models import Attachment, Channel, Message, Side, Status, Ticket
from rapport.tickets.permissions import can_view, require_provider_staff, require_view, side_of


@transaction.atomic
def reply(
    actor: Person | None,
    ticket: Ticket,
    *,
    body: str,
    body_is_html: bool = False,
    attachments: Sequence[str] = (),
    status: Status | None = None,
    channel: str = Channel.WEB,
    author: Person | None = None,
    author_may_add: bool = False,
) -> Message:
    """A public message. A client's reply brings a pending or solved ticket back to open."""
    scope = scope_of(actor)
    require_view(scope, ticket)
    author = author or actor
    if author is None:
        raise Invalid("A reply needs an author.")
    author_scope = scope_for(author)
    # `author_may_add`: the system (no actor) established that the author may add to
    # the ticket without seeing it (mail from a colleague of the requester or an
    # address copied on the thread; see rapport.mail.routing.may_add_to).
    if not (author_may_add and actor is None) and not can_view(author_scope, ticket):
        raise PermissionDenied("The author cannot see this ticket.")
    require_open_thread(ticket)
    side = side_of(author_scope, ticket)
    body_html, body_text = message_body(body, is_html=body_is_html)
    now = clock.now()
    message = Message(
        ticket=ticket,
        author=author,
        author_side=side,
        channel=channel,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
        # Only clients' messages are scored, before the INSERT (see tickets.sentiment).
        sentiment=sentiment.score(body_text) if side == Side.CLIENT else None,
    )
    rows.insert([message])
    claim_attachments(actor, message, attachments)
    ticket.updated_at = now
    written = ["updated_at"]
    if side == Side.PROVIDER and ticket.first_response_at is None:
        ticket.first_response_at = now
        written.append("first_response_at")
    # The count is added in the database: concurrent replies each count.
    rows.update(ticket, written, add={"message_count": 1})
    ticket.message_count += 1
    append_search(ticket, body_text)
    events.append(ticket, actor, "reply", side=side, message=message.pk)
    clocks.keeper().on_public_reply(ticket, actor, side)
    if side == Side.CLIENT and ticket.status_category in (
        StatusCategory.PENDING_CLIENT,
        StatusCategory.SOLVED,
    ):
        change_status(ticket, actor, default_status(StatusCategory.OPEN))
    elif status is not None:
        if side != Side.PROVIDER:
            raise PermissionDenied("Only the provider can set a status with a reply.")
        change_status(ticket, actor, status)
    return message


@transaction.atomic
def add_note(
    actor: Person,
    ticket: Ticket,
    *,
    body: str,
    body_is_html: bool = False,
    attachments: Sequence[str] = (),
) -> Message:
    """An internal note: seen by the provider's staff only."""
    scope = scope_of(actor)
    require_provider_staff(scope, ticket, "add internal notes")
    if ticket.merged_into_id is not None:
        raise Conflict(f"#{ticket.pk} was merged into #{ticket.merged_into_id}; write there.")
    body_html, body_text = message_body(body, is_html=body_is_html)
    now = clock.now()
    message = Message.objects.create(
        ticket=ticket,
        author=actor,
        author_side=Side.PROVIDER,
        is_internal=True,
        body_html=body_html,
        body_text=body_text,
        created_at=now,
    )
    claim_attachments(actor, message, attachments)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    ticket.updated_at = now
    events.append(ticket, actor, "note", message=message.pk)
    return message


def _safe_filename(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = name.strip(" .") or "attachment"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:20])] + ext[:20]


@transaction.atomic
def upload(
    actor: Person, *, stream: IO[bytes], filename: str, size: int, content_type: str = ""
) -> Attachment:
    """Store a file for a coming message; it stays pending until a message claims it."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to upload.")
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise TooLarge(f"A file is at most {limit // (1024 * 1024)} MiB.", field="file")
    if size == 0:
        raise Invalid("The file is empty.", field="file")
    name = _safe_filename(filename)
    guessed = mimetypes.guess_type(name)[0]
    content_type = content_type.split(";")[0].strip().lower()
    if not re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", content_type):
        content_type = guessed or "application/octet-stream"
    attachment = Attachment(
        uploader=actor,
        filename=name,
        content_type=content_type,
        size=size,
        created_at=clock.now(),
    )
    save_field_file(attachment.file, name, File(stream))  # a full disk is a 507, not a 500
    attachment.save()
    return attachment
