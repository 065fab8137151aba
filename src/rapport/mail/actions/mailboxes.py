"""The only writers of mailboxes, and the replay of quarantined mail (admins only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Organisation, OrgKind, Party, Person
from rapport.directory.queries import scope_for
from rapport.mail import crypto
from rapport.mail.actions import batches
from rapport.mail.models import InboundMessage, InboundState, Mailbox

_FIELDS = {
    "name", "default_priority", "unknown_sender_organisation", "is_active", "imap_host",
    "imap_port", "imap_tls", "imap_username", "imap_folder", "imap_processed_folder",
    "template_subject", "template_text", "template_html",
}  # fmt: skip


def require_admin(actor: Person | None) -> None:
    if actor is not None and not scope_for(actor).is_admin:
        raise PermissionDenied("Only an admin can manage mailboxes and quarantined mail.")


def _check(mailbox: Mailbox) -> None:
    if not mailbox.provider_party.can_provide:
        raise Invalid(
            "A mailbox is answered by a team, a vendor or a contractor.", field="provider"
        )
    org: Organisation | None = mailbox.unknown_sender_organisation
    if org is not None and org.kind != OrgKind.CUSTOMER:
        raise Invalid(
            "Unknown senders can only join a customer organisation.",
            field="unknown_sender_organisation",
        )


@transaction.atomic
def create_mailbox(
    actor: Person | None, *, address: str, provider: Party, imap_password: str = "", **fields: Any
) -> Mailbox:
    require_admin(actor)
    address = address.strip().lower()
    if "@" not in address or len(address) > 254:
        raise Invalid(f"{address!r} is not an e-mail address.", field="address")
    if Mailbox.objects.filter(address=address).exists():
        raise Conflict(f"The mailbox {address} exists already.", field="address")
    unknown = set(fields) - _FIELDS
    if unknown:
        raise Invalid(f"Unknown mailbox fields: {sorted(unknown)}.")
    mailbox = Mailbox(
        address=address,
        provider_party=provider,
        imap_password_encrypted=crypto.encrypt(imap_password),
        created_at=clock.now(),
        **fields,
    )
    _check(mailbox)
    mailbox.save()
    return mailbox


@transaction.atomic
def update_mailbox(
    actor: Person | None, mailbox: Mailbox, *, imap_password: str | None = None, **fields: Any
) -> Mailbox:
    require_admin(actor)
    unknown = set(fields) - _FIELDS - {"provider_party"}
    if unknown:
        raise Invalid(f"Unknown mailbox fields: {sorted(unknown)}.")
    for key, value in fields.items():
        setattr(mailbox, key, value)
    if imap_password is not None:
        mailbox.imap_password_encrypted = crypto.encrypt(imap_password)
    _check(mailbox)
    mailbox.save()
    return mailbox


def replay(actor: Person | None, inbound: InboundMessage) -> InboundMessage:
    """Process a quarantined message again (after the cause was fixed)."""
    require_admin(actor)
    if inbound.state not in (InboundState.QUARANTINED, InboundState.RECEIVED):
        raise Conflict(f"Message {inbound.pk} is {inbound.state}; only quarantined mail replays.")
    return batches.replay(inbound)
