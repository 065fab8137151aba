"""Reads of agreements and calendars, scoped to what a person may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Q, QuerySet, When

from rapport.agreements.models import Agreement, Calendar
from rapport.core.reference import Snapshot
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

    An agreement naming the client itself wins; an internal client (a team)
    falls back to an agreement with our whole organisation. Among several,
    the one that started most recently wins. With `ref`, the provider's
    agreements come from the process's copy (targets and calendar included).
    """
    if ref is not None:
        return _match_in(provider_agreements(ref, provider.pk), client, provider, day)
    candidates = Agreement.objects.filter(active_on(day), provider=provider).order_by(
        "-active_from", "-id"
    )
    exact = candidates.filter(client=client).first()
    if exact is not None:
        return exact, f"agreement with {client.name}"
    if client.kind in (PartyKind.TEAM, PartyKind.OWN):
        everyone = candidates.filter(client__kind=PartyKind.OWN).first()
        if everyone is not None:
            return everyone, "agreement with the whole organisation"
    return None, f"no active agreement between {client.name} and {provider.name}"


def why_not_applicable(agreement: Agreement, client: Party, provider: Party, day: date) -> str:
    """Why `agreement` cannot govern a ticket from `client` to `provider` on `day` ("" if it can).

    The same parties `match_agreement` would consider: the provider itself, and the
    client itself or, for an internal client, an agreement with the whole organisation.
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
    (`why_not_applicable` says "" for each), the one `match_agreement` picks first."""
    parties = Q(client=client)
    if client.kind in (PartyKind.TEAM, PartyKind.OWN):
        parties |= Q(client__kind=PartyKind.OWN)
    return list(
        Agreement.objects.filter(active_on(day), parties, provider=provider)
        .annotate(exact=Case(When(client=client, then=1), default=0))
        .order_by("-exact", "-active_from", "-id")
    )


def provider_agreements(ref: Snapshot, provider_id: int) -> list[Agreement]:
    """Every agreement of a provider, newest first, with client, calendar and targets
    (shared reference data: not to be modified)."""

    def load() -> list[Agreement]:
        return list(
            Agreement.objects.filter(provider_id=provider_id)
            .select_related("client", "calendar")
            .prefetch_related("targets")
            .order_by("-active_from", "-id")
        )

    return ref.get(("agreements", provider_id), load)


def _match_in(
    agreements: list[Agreement], client: Party, provider: Party, day: date
) -> tuple[Agreement | None, str]:
    """`match_agreement`'s rules over agreements in hand (ordered newest first)."""
    active = [
        a
        for a in agreements
        if a.active_from <= day and (a.active_until is None or a.active_until >= day)
    ]
    exact = next((a for a in active if a.client_id == client.pk), None)
    if exact is not None:
        return exact, f"agreement with {client.name}"
    if client.kind in (PartyKind.TEAM, PartyKind.OWN):
        everyone = next((a for a in active if a.client.kind == PartyKind.OWN), None)
        if everyone is not None:
            return everyone, "agreement with the whole organisation"
    return None, f"no active agreement between {client.name} and {provider.name}"


def serving_providers(client_party_ids: frozenset[int]) -> QuerySet[Any]:
    """The parties serving these clients under any agreement (a subquery of provider ids);
    the directory's visibility asks this through `register_serving_providers`."""
    return Agreement.objects.filter(client_id__in=client_party_ids).values("provider_id")
