"""Scoring every client, keeping the history, and opening outreach tasks when a client
crosses the threshold (at most one per client per `OUTREACH_EVERY`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.core.errors import NotFound, PermissionDenied
from rapport.directory.models import (
    Party,
    PartyKind,
    Person,
    StaffRole,
    TeamMembership,
    TeamRole,
)
from rapport.directory.queries import scope_for
from rapport.notifications.actions import notify
from rapport.proactive.models import ClientRisk, OutreachTask, RiskSnapshot
from rapport.proactive.risk import Assessment, assess

OUTREACH_EVERY = timedelta(days=14)


def account_owners(party_ids: list[int]) -> dict[int, Person | None]:
    """The account's owner: a lead of our team that serves the client under its newest
    agreement (a vendor serving them is not who calls); failing that, the first
    active manager (someone must call them)."""
    provider_of: dict[int, int] = {}
    for client_id, provider_id in (
        Agreement.objects.filter(client_id__in=party_ids, provider__kind=PartyKind.TEAM)
        .order_by("client_id", "-active_from", "-id")
        .values_list("client_id", "provider_id")
    ):
        provider_of.setdefault(client_id, provider_id)
    leads: dict[int, Person] = {}
    for m in (
        TeamMembership.objects.filter(
            team__party_id__in=set(provider_of.values()), role=TeamRole.LEAD, person__is_active=True
        )
        .select_related("person", "team")
        .order_by("id")
    ):
        leads.setdefault(m.team.party_id, m.person)
    manager = (
        Person.objects.filter(staff_role=StaffRole.MANAGER, is_active=True).order_by("id").first()
    )
    return {pk: leads.get(provider_of.get(pk, -1), manager) for pk in party_ids}


@transaction.atomic
def snapshot_risks(now: datetime | None = None) -> list[Assessment]:
    """Score every client, store the scores and one snapshot each, and open outreach
    tasks for the clients at risk without one in the last 14 days. Idempotent within
    a run's moment: the 14-day rule holds however often it runs."""
    now = now or clock.now()
    assessments = assess(now)
    ClientRisk.objects.filter(party_id__in=[a.party_id for a in assessments]).delete()
    ClientRisk.objects.bulk_create(
        ClientRisk(
            party_id=a.party_id,
            score=a.score,
            contributions=a.contributions,
            at_risk=a.at_risk,
            computed_at=now,
        )
        for a in assessments
    )
    RiskSnapshot.objects.bulk_create(
        RiskSnapshot(
            party_id=a.party_id, taken_at=now, score=a.score, contributions=a.contributions
        )
        for a in assessments
        if a.score > 0
    )
    at_risk = [a for a in assessments if a.at_risk]
    if at_risk:
        recent = set(
            OutreachTask.objects.filter(
                party_id__in=[a.party_id for a in at_risk], opened_at__gt=now - OUTREACH_EVERY
            ).values_list("party_id", flat=True)
        )
        due = [a for a in at_risk if a.party_id not in recent]
        owners = account_owners([a.party_id for a in due])
        names = dict(Party.objects.filter(pk__in=owners).values_list("pk", "name"))
        for a in due:
            owner = owners.get(a.party_id)
            OutreachTask.objects.create(
                party_id=a.party_id,
                owner=owner,
                score=a.score,
                reasons=a.contributions,
                opened_at=now,
            )
            reasons = "; ".join(c["label"].lower() for c in a.contributions[:3])
            notify(
                [owner],
                "at_risk",
                None,
                f"{names.get(a.party_id, 'A client')} is at risk (score {a.score:.0f}): "
                f"{reasons}. Reach out to them.",
            )
    return assessments


@transaction.atomic
def complete_task(actor: Person, task_id: int) -> OutreachTask:
    scope = scope_for(actor)
    if not scope.sees_everything:
        raise PermissionDenied("Only managers and admins follow at-risk clients.")
    task = OutreachTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"There is no outreach task {task_id}.")
    if task.done_at is None:
        task.done_at = clock.now()
        task.save(update_fields=["done_at"])
    return task
