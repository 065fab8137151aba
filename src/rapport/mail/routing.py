"""Step (d): who wrote a message, for which mailbox, and which ticket it continues."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models.functions import Lower

from rapport.core.choices import StatusCategory
from rapport.core.fast import reference
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgKind, OrgMembership, Person
from rapport.directory.queries import scope_for
from rapport.mail.models import InboundMessage, Mailbox, MessageRef
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


def thread_root(mail: ParsedMail) -> str:
    """The Message-ID that started the message's thread: the first of References (RFC
    5322 keeps the thread's origin first), else what it answers, else its own."""
    first = mail.references[:1] or mail.in_reply_to[:1] or [mail.message_id]
    return first[0][:255]


def may_add_to(person: Person, ticket: Ticket) -> bool:
    """Whether mail from this person lands on the ticket (else it opens a new one).

    Whoever can see the ticket; a colleague of the requester in the client
    organisation; an address copied (Cc) on the ticket's mail. The README states
    this rule.
    """
    if can_view(scope_for(person), ticket):
        return True
    colleagues = OrgMembership.objects.filter(person=person, organisation__kind=OrgKind.CUSTOMER)
    if colleagues.filter(organisation__party_id=ticket.client_party_id).exists():
        return True
    if colleagues.filter(organisation__memberships__person_id=ticket.requester_id).exists():
        return True
    address = person.email.strip().lower()
    if not address:
        return False
    copied = (
        InboundMessage.objects.filter(ticket=ticket).exclude(cc="").values_list("cc", flat=True)
    )
    return any(address in cc.split(",") for cc in copied)


def _open_ticket(ticket_id: int) -> Ticket | None:
    """The ticket, followed through merges; None when it is missing or closed."""
    # get(), not first(): first() orders by the model's ordering, which can make
    # the database walk that index instead of the primary key (measured: 13 ms).
    ticket: Ticket | None
    try:
        ticket = Ticket.objects.get(pk=ticket_id)
    except Ticket.DoesNotExist:  # a tag naming no ticket
        return None
    for _ in range(10):  # follow merges (a chain, never a cycle; bounded all the same)
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = Ticket.objects.filter(pk=ticket.merged_into_id).order_by().first()
    if ticket is None or ticket.status_category == StatusCategory.CLOSED:
        return None
    return ticket


def thread(
    mail: ParsedMail,
    person: Person,
    known: dict[str, int] | None = None,
    root_ticket: int | None = None,
) -> Ticket | None:
    """The ticket a message continues, or None for a new ticket.

    The candidates, in order: the tickets of In-Reply-To and References (our sent
    and received Message-IDs, most telling first), a `[#1234]` tag in the subject,
    then the ticket its thread root opened (`root_ticket`: a reply that overtook
    the message it answers). Each candidate is followed through merges; a closed
    one is passed over, and so is one the writer may not add to (`may_add_to`: a
    guessed number or a forwarded thread), so the next candidate is tried. `known`
    is the Message-ID → ticket map of `reference_ids(mail)` when the caller has it.
    """
    ids = reference_ids(mail)
    candidates: list[int] = []
    if ids:
        if known is None:
            known = dict(
                MessageRef.objects.filter(rfc_id__in=ids).values_list("rfc_id", "ticket_id")
            )
        candidates += [known[i] for i in ids if i in known]
    match = TICKET_TAG.search(mail.subject)
    if match:
        candidates.append(int(match.group(1)))
    if root_ticket is not None:
        candidates.append(root_ticket)
    tried: set[int] = set()
    for ticket_id in candidates:
        if ticket_id in tried:
            continue
        tried.add(ticket_id)
        ticket = _open_ticket(ticket_id)
        if ticket is not None and may_add_to(person, ticket):
            return ticket
        if len(tried) >= 10:  # bounded: each candidate costs a few queries
            break
    return None
