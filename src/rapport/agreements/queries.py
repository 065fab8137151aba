"""Reads of agreements and calendars, scoped to what a person may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from rapport.agreements.models import Agreement, Calendar
from rapport.core.fast import reference
from rapport.core.fast.reference import Snapshot
from rapport.directory.models import Party, PartyKind
from rapport.directory.queries import Scope


def visible_agreements(scope: Scope) -> QuerySet[Agreement]:
    qs = (
        Agreement.objects.select_related("provider", "client", "calendar")
        .prefetch_related("targets")
        .order_by("name", "id")
    )
    if scope.is_staff:
        return qs
    mine = scope.client_party_ids | scope.provider_org_party_ids
    return qs.filter(Q(provider_id__in=mine) | Q(client_id__in=mine))


def visible_calendars(scope: Scope) -> QuerySet[Calendar]:
    qs = Calendar.objects.order_by("name", "id")
    if scope.is_staff:
        return qs
    return qs.filter(pk__in=visible_agreements(scope).values("calendar_id"))


def active_on(day: date) -> Q:
    return Q(active_from__lte=day) & (Q(active_until__isnull=True) | Q(active_until__gte=day))


def match_agreement(
    client: Party, provider: Party, day: date, ref: Snapshot | None = None
) -> tuple[Agreement | None, str]:
    """The agreement a new ticket falls under, and why it was chosen.

    The first of `applicable_agreements`: an agreement naming the client itself
    wins; an internal client (a team) falls back to an agreement with our whole
    organisation; among several, the one that started most recently wins. The
    provider's agreements come from the reference data of this request or task
    (`ref`, if the caller holds one, else the ambient snapshot).
    """
    found = _applicable(provider_agreements(provider.pk, ref), client, provider, day)
    if not found:
        return None, f"no active agreement between {client.name} and {provider.name}"
    chosen = found[0]
    if chosen.client_id == client.pk:
        return chosen, f"agreement with {client.name}"
    return chosen, "agreement with the whole organisation"


def why_not_applicable(agreement: Agreement, client: Party, provider: Party, day: date) -> str:
    """Why `agreement` cannot govern a ticket from `client` to `provider` on `day` ("" if it can).

    The one statement of the matching rules: the provider itself, and the client
    itself or, for an internal client, an agreement with the whole organisation.
    """
    if agreement.provider_id != provider.pk:
        return f"{agreement.name} is an agreement of another provider, not {provider.name}."
    internal = client.kind in (PartyKind.TEAM, PartyKind.OWN)
    if agreement.client_id != client.pk and not (
        internal and agreement.client.kind == PartyKind.OWN
    ):
        return f"{agreement.name} does not cover {client.name}."
    if agreement.active_from > day or (
        agreement.active_until is not None and agreement.active_until < day
    ):
        return f"{agreement.name} is not in force on {day.isoformat()}."
    return ""


def applicable_agreements(client: Party, provider: Party, day: date) -> list[Agreement]:
    """The agreements a ticket from `client` to `provider` may be put under on `day`
    (`why_not_applicable` says "" for each), the one `match_agreement` picks first.
    Shared reference data: not to be modified."""
    return _applicable(provider_agreements(provider.pk), client, provider, day)


def provider_agreements(provider_id: int, ref: Snapshot | None = None) -> list[Agreement]:
    """Every agreement of a provider, newest first, with client, calendar and targets
    (shared reference data: not to be modified)."""

    def load() -> list[Agreement]:
        return list(
            Agreement.objects.filter(provider_id=provider_id)
            .select_related("client", "calendar")
            .prefetch_related("targets")
            .order_by("-active_from", "-id")
        )

    return (ref or reference.current()).get(("agreements", provider_id), load)


def _applicable(
    agreements: list[Agreement], client: Party, provider: Party, day: date
) -> list[Agreement]:
    """Those of a provider's `agreements` (newest first) that apply: the client's own
    first, then the whole organisation's, each newest first."""
    found = [a for a in agreements if not why_not_applicable(a, client, provider, day)]
    return sorted(found, key=lambda a: a.client_id != client.pk)  # stable: newest first kept


def serving_providers(client_party_ids: frozenset[int]) -> QuerySet[Any]:
    """The parties serving these clients under any agreement (a subquery of provider ids);
    the directory's visibility asks this through `register_serving_providers`."""
    return Agreement.objects.filter(client_id__in=client_party_ids).values("provider_id")
