"""Step (d): who wrote a message, for which mailbox, and which ticket it continues."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models.functions import Lower

from rapport.core.choices import StatusCategory
from rapport.core.fast import reference
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgKind, Person
from rapport.directory.queries import scope_for
from rapport.mail.models import Mailbox, MessageRef
from rapport.mail.parse import ParsedMail
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import can_view

TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
MAX_REFERENCES = 50


class Quarantine(Exception):
    """The message cannot be placed until someone acts (its reason says how)."""


def mailbox_for(recipients: list[str], ref: reference.Snapshot | None = None) -> Mailbox | None:
    """`ref`: the caller's snapshot of the reference data, if it took one already."""
    wanted = [r.strip().lower() for r in recipients if r and "@" in r]
    if not wanted:
        return None
    # Every delivery asks this before its receipt commits: the active mailboxes come
    # from the process's copy (checked current in one small query).
    found = (ref or reference.current()).get(
        ("active_mailboxes",),
        lambda: {m.address: m for m in Mailbox.objects.filter(is_active=True)},
    )
    return next((found[r] for r in wanted if r in found), None)


def choose_mailbox(
    given: Mailbox | None, mail: ParsedMail, ref: reference.Snapshot | None = None
) -> Mailbox:
    mailbox = given or mailbox_for(mail.to_addresses, ref)
    if mailbox is None:
        raise Quarantine("addressed to no mailbox we know; add one and replay")
    return mailbox


def people_by_address(addresses: Iterable[str]) -> dict[str, Person]:
    """The people with these addresses (lower case), in one query on the
    case-insensitive unique index of their e-mail."""
    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return {}
    found = Person.objects.alias(address=Lower("email")).filter(address__in=wanted)
    # The index is partial (people without an address have none): say so, to use it.
    return {p.email.lower(): p for p in found.exclude(email="")}


def sender(
    mail: ParsedMail,
    mailbox: Mailbox,
    envelope_from: str = "",
    known: dict[str, Person] | None = None,
) -> Person:
    """The person who wrote (From, else the envelope sender): a known address, else a
    new contact of the customer organisation whose domain matches (or the catch-all).

    `known`: people by lower-case address the caller looked up already; an address
    missing from it is asked of the database."""
    address = mail.from_address or envelope_from.strip().strip("<>").lower()
    if "@" not in address:
        raise Quarantine("the message names no sender (From)")
    person = (known or {}).get(address)
    if person is None:
        person = people_by_address([address]).get(address)
    if person is not None:
        if not person.is_active:
            raise Quarantine(f"the sender {address} has a disabled account")
        return person
    domain = address.rsplit("@", 1)[1]
    # Only customer organisations take new contacts from mail: a forged From could
    # otherwise join a vendor (who sees what it provides) or our own staff.
    organisation = (
        Organisation.objects.filter(email_domain=domain, kind=OrgKind.CUSTOMER).first()
        or mailbox.unknown_sender_organisation
    )
    if organisation is None:
        raise Quarantine(
            f"unknown sender {address}: no customer organisation has the domain {domain}"
        )
    person = directory.create_person(
        None, username=_free_username(address), email=address, full_name=mail.from_name[:200]
    )
    directory.add_org_member(None, organisation, person)
    return person


def _free_username(address: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", address)[:140] or "contact"
    taken = set(Person.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def reference_ids(mail: ParsedMail) -> list[str]:
    """The Message-IDs a message answers, the most telling first."""
    return [*mail.in_reply_to, *reversed(mail.references)][:MAX_REFERENCES]


def thread(mail: ParsedMail, person: Person, known: dict[str, int] | None = None) -> Ticket | None:
    """The ticket a message continues, or None for a new ticket.

    In-Reply-To and References against the Message-IDs we sent and received come
    first, then a `[#1234]` tag in the subject. The writer must be able to see
    the ticket (a guessed number opens a new ticket instead), a merged ticket
    continues where it was merged to, and a closed one gets a new ticket. `known` is
    the Message-ID → ticket map of `reference_ids(mail)` when the caller has it.
    """
    ids = reference_ids(mail)
    ticket_id: int | None = None
    if ids:
        if known is None:
            known = dict(
                MessageRef.objects.filter(rfc_id__in=ids).values_list("rfc_id", "ticket_id")
            )
        ticket_id = next((known[i] for i in ids if i in known), None)
    if ticket_id is None:
        match = TICKET_TAG.search(mail.subject)
        ticket_id = int(match.group(1)) if match else None
    if ticket_id is None:
        return None
    try:
        ticket: Ticket | None = Ticket.objects.get(pk=ticket_id)
    except Ticket.DoesNotExist:  # a tag naming no ticket
        ticket = None
    for _ in range(10):  # follow merges (a chain, never a cycle; bounded all the same)
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    if ticket is None or ticket.status_category == StatusCategory.CLOSED:
        return None
    if not can_view(scope_for(person), ticket):
        return None
    return ticket
