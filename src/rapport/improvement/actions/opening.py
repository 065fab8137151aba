"""Opening reviews (from the reactions and the watermelon task), flagging a complaint,
and the admin's settings: triggers, sampling and reviewers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound
from rapport.directory.models import Party, Person
from rapport.improvement import queries, sampling, watermelon
from rapport.improvement.actions._common import require_manager, require_staff, text
from rapport.improvement.models import (
    Preferences,
    Review,
    Reviewer,
    Sighting,
    Trigger,
    TriggerRule,
)
from rapport.tickets import events
from rapport.tickets.models import Event, Message, Ticket
from rapport.tickets.permissions import can_view


def _sampled(rule: TriggerRule, source: str, provider_id: int) -> bool:
    """Whether this event is in the sample; a replay finds its first decision."""
    seen = Sighting.objects.filter(source=source).first()
    if seen is not None:
        return seen.taken
    position = Sighting.objects.filter(trigger=rule.trigger, provider_id_key=provider_id).count()
    position += 1
    take = sampling.taken(
        position, rule.share, sampling.start(rule.seed, rule.trigger, provider_id)
    )
    try:
        with transaction.atomic():
            Sighting.objects.create(
                source=source,
                trigger=rule.trigger,
                provider_id_key=provider_id,
                position=position,
                taken=take,
            )
    except IntegrityError:  # decided meanwhile by another worker: its decision stands
        return Sighting.objects.get(source=source).taken
    return take


def open_review(
    trigger: str,
    source: str,
    *,
    ticket: Ticket | None = None,
    provider: Party | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Review | None:
    """The review of this source event: opened once whatever the retries (`source` is
    unique), unless the trigger is off or its sample passes the event by."""
    existing = Review.objects.filter(source=source).first()
    if existing is not None:
        return existing
    rule = queries.rule_of(trigger)
    if not rule.enabled:
        return None
    if provider is None and ticket is not None:
        provider = ticket.provider_party
    provider_id = provider.pk if provider is not None else 0
    if rule.share < 100 and not _sampled(rule, source, provider_id):
        return None
    now = at or clock.now()
    # The provider's team, or for a vendor's work the team that handed it over.
    team = queries.team_of(provider.pk if provider is not None else None)
    if team is None and ticket is not None:
        team = queries.team_of(ticket.client_party_id)
    reviewer = None
    if provider is not None:
        reviewer = queries.least_busy(queries.reviewers_of(provider.pk))
    proposed = queries.proposed_responsible(ticket, now)
    with transaction.atomic():
        review, _ = Review.objects.get_or_create(
            source=source,
            defaults={
                "trigger": trigger,
                "ticket": ticket,
                "provider": provider,
                "team": team,
                "detail": detail or {},
                "reviewer": reviewer,
                "proposed_responsible": proposed,
                "responsible": proposed or provider,
                "opened_at": now,
            },
        )
    return review


@transaction.atomic
def flag_complaint(actor: Person, message: Message, *, note: str = "") -> Event:
    """An agent marks a client's message as a complaint: a `complaint` event on its
    ticket (once per message), which opens a review."""
    scope = require_staff(actor, "flag a complaint")
    ticket = Ticket.objects.select_for_update().get(pk=message.ticket_id)
    if not can_view(scope, ticket) or message.is_internal:
        raise NotFound(f"There is no message {message.pk} you can see.")
    note = text(note, "note", limit=500)
    flagged = Event.objects.filter(
        ticket=ticket, kind="complaint", data__message=message.pk
    ).first()
    if flagged is not None:
        return flagged
    return events.append(ticket, actor, "complaint", new=message.pk, message=message.pk, note=note)


# --- settings ---------------------------------------------------------------------


@transaction.atomic
def set_rule(
    actor: Person | None, trigger: str, *, enabled: bool, share: int, seed: int = 0
) -> TriggerRule:
    require_manager(actor, "change the review triggers")
    if trigger not in Trigger.values:
        raise Invalid("No such trigger.", field="trigger")
    if not 1 <= share <= 100:
        raise Invalid("The share is a percent from 1 to 100.", field="share")
    if not 0 <= seed <= 2**31 - 1:
        raise Invalid("The seed is a number from 0 to 2147483647.", field="seed")
    rule, _ = TriggerRule.objects.update_or_create(
        trigger=trigger, defaults={"enabled": enabled, "share": share, "seed": seed}
    )
    return rule


@transaction.atomic
def set_reviewers(actor: Person | None, provider: Party, people: Sequence[Person]) -> list[int]:
    require_manager(actor, "choose reviewers")
    if not provider.can_provide:
        raise Invalid("Reviewers are set for a team, a vendor or a contractor.", field="provider")
    for person in people:
        if not person.staff_role:
            raise Invalid(f"{person.display_name} is not staff.", field="people")
    Reviewer.objects.filter(provider=provider).exclude(person__in=people).delete()
    for person in people:
        Reviewer.objects.get_or_create(provider=provider, person=person)
    return sorted(p.pk for p in people)


@transaction.atomic
def set_preferences(
    actor: Person | None, *, word_of_mouth_factor: int, effectiveness_days: int
) -> Preferences:
    require_manager(actor, "change the improvement settings")
    if not 1 <= word_of_mouth_factor <= 100:
        raise Invalid("A factor from 1 to 100.", field="word_of_mouth_factor")
    if not 7 <= effectiveness_days <= 365:
        raise Invalid("From 7 to 365 days.", field="effectiveness_days")
    prefs = Preferences.objects.select_for_update().order_by("pk").first() or Preferences()
    prefs.word_of_mouth_factor = word_of_mouth_factor
    prefs.effectiveness_days = effectiveness_days
    prefs.save()
    return prefs


def assign(actor: Person | None, review: Review, reviewer: Person | None) -> Review:
    scope = require_staff(actor, "assign a review")
    if actor is not None:
        review = queries.get_review(scope, review.pk)
    if reviewer is not None and not reviewer.staff_role:
        raise Invalid(f"{reviewer.display_name} is not staff.", field="reviewer")
    if review.status != "open":
        raise Conflict("The review is closed.")
    Review.objects.filter(pk=review.pk).update(reviewer=reviewer)
    review.reviewer = reviewer
    return review


def flag_watermelons(since: datetime, until: datetime) -> list[Review]:
    """Open a review for each watermelon provider of [since, until), once per period."""
    found = watermelon.watermelons(since, until)
    parties = Party.objects.in_bulk(list(found))
    opened = []
    for party_id, figures in sorted(found.items()):
        party = parties.get(party_id)
        if party is None:
            continue
        review = open_review(
            Trigger.WATERMELON,
            f"watermelon:{party_id}:{since:%Y-%m-%d}:{until:%Y-%m-%d}",
            provider=party,
            at=until,
            detail={**figures, "since": since.isoformat(), "until": until.isoformat()},
        )
        if review is not None:
            opened.append(review)
    return opened
