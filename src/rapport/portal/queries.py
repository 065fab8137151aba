"""Reads of the portal: the requests a person follows, and whom they may ask."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from rapport.agreements.models import Agreement
from rapport.agreements.queries import active_on
from rapport.core import clock
from rapport.directory.models import Party, PartyKind
from rapport.directory.queries import Scope
from rapport.tickets.models import Ticket

PAGE_SIZE = 25


@dataclass(frozen=True)
class Tab:
    slug: str
    title: str


MINE = Tab("mine", "My requests")
ORGANISATION = Tab("organisation", "My organisation's requests")
HANDED = Tab("handed", "Handed to my organisation")


def tabs(scope: Scope) -> list[Tab]:
    shown = [MINE]
    if scope.admin_org_party_ids:
        shown.append(ORGANISATION)
    if scope.provider_org_party_ids:
        shown.append(HANDED)
    return shown


def tab_tickets(scope: Scope, slug: str) -> QuerySet[Ticket]:
    """Each tab is one indexed column against the person's own ids, so it is always a
    subset of what they may see (`tickets.queries.visibility`)."""
    if slug == ORGANISATION.slug and scope.admin_org_party_ids:
        return Ticket.objects.filter(client_party_id__in=sorted(scope.admin_org_party_ids))
    if slug == HANDED.slug and scope.provider_org_party_ids:
        return Ticket.objects.filter(provider_party_id__in=sorted(scope.provider_org_party_ids))
    return Ticket.objects.filter(requester_id=scope.person_id)


@dataclass(frozen=True)
class Option:
    """A provider the person may ask, and whether they may choose the priority."""

    provider: Party
    agreement: Agreement | None
    clients_choose_priority: bool

    @property
    def label(self) -> str:
        if self.agreement is None:
            return self.provider.name
        return f"{self.provider.name} ({self.agreement.name})"


def request_options(scope: Scope) -> list[Option]:
    """Providers with an active agreement with one of the person's parties; an
    employee may also ask any internal team."""
    options: dict[int, Option] = {}
    agreements = (
        Agreement.objects.filter(active_on(clock.now().date()))
        .filter(client_id__in=sorted(scope.client_party_ids))
        .select_related("provider")
        .order_by("provider__name", "-active_from", "-id")
    )
    for agreement in agreements:
        if agreement.provider.can_provide and agreement.provider_id not in options:
            options[agreement.provider_id] = Option(
                agreement.provider, agreement, agreement.clients_choose_priority
            )
    if scope.is_employee:
        for team in Party.objects.filter(kind=PartyKind.TEAM).order_by("name", "id"):
            options.setdefault(team.pk, Option(team, None, False))
    # Nobody asks their own team through the portal: that is their own queue.
    return sorted(
        (o for o in options.values() if o.provider.pk not in scope.team_party_ids),
        key=lambda o: o.provider.name,
    )
