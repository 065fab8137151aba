"""Quality reviews: rubrics, reviews, the weekly sample, calibration, disputes, coaching.

Every writer checks the actor's scope first; `actor=None` is the system (demo, tasks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Organisation, OrgKind, OrgMembership, Person, Team
from rapport.directory.queries import Scope, scope_for
from rapport.notifications.actions import notify
from rapport.people import quality_queries as queries
from rapport.people.models import (
    CalibrationSession,
    Dispute,
    Purpose,
    Rating,
    Review,
    ReviewSharing,
    Rubric,
    RubricCategory,
    SampleItem,
)
from rapport.people.models.quality import DisputeStatus, ReviewKind
from rapport.people.quality_formulas import review_score
from rapport.policies.models import Document
from rapport.tickets import events
from rapport.tickets.models import Message, Side, Ticket
from rapport.tickets.permissions import can_view

SYSTEM = Scope(person_id=None, staff_role="admin")
MAX_TEXT = 5000
MAX_CATEGORIES = 30


def scope_of(actor: Person | None) -> Scope:
    return SYSTEM if actor is None else scope_for(actor)


def _text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("This field is required.", field=field)
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return value


# --- rubrics -------------------------------------------------------------------------


@transaction.atomic
def create_rubric(
    actor: Person | None,
    *,
    name: str,
    categories: Sequence[Mapping[str, Any]],
    description: str = "",
    team: Team | None = None,
) -> Rubric:
    """A quality rubric: categories with a scale, a weight 0–100, critical, N/A allowed,
    bonus, and the policy or procedure each checks. Reviewers' leads and managers."""
    scope = scope_of(actor)
    if not queries.may_manage_rubrics(scope):
        raise PermissionDenied("Only team leads, managers and admins write rubrics.")
    if not categories or len(categories) > MAX_CATEGORIES:
        raise Invalid(f"Give 1 to {MAX_CATEGORIES} categories.", field="categories")
    if all(c.get("bonus") for c in categories):
        raise Invalid("At least one category must not be a bonus.", field="categories")
    now = clock.now()
    rubric = Rubric.objects.create(
        name=_text(name, "name", required=True, limit=120), description=_text(description,
        "description"), purpose=Purpose.QUALITY, team=team, created_by=actor,
        created_at=now, updated_at=now,
    )  # fmt: skip
    rows = []
    for position, c in enumerate(categories):
        scale = int(c.get("scale", 5))
        weight = int(c.get("weight", 1))
        if scale not in (2, 3, 4, 5):
            raise Invalid("A scale is 2 (binary), 3, 4 or 5.", field="categories")
        if not 0 <= weight <= 100:
            raise Invalid("A weight is 0 to 100.", field="categories")
        document = c.get("document")
        if document is not None and not isinstance(document, Document):
            document = Document.objects.filter(pk=document).first()
            if document is None:
                raise NotFound("There is no such document.", field="categories")
        rows.append(RubricCategory(
            rubric=rubric, position=position, name=_text(c.get("name", ""), "categories",
            required=True, limit=120), description=_text(c.get("description", ""),
            "categories", limit=1000), scale=scale, weight=weight,
            critical=bool(c.get("critical")), allow_na=bool(c.get("allow_na")),
            bonus=bool(c.get("bonus")), document=document,
        ))  # fmt: skip
    RubricCategory.objects.bulk_create(rows)
    return rubric


# --- reviews -------------------------------------------------------------------------


def credited_author(ticket: Ticket) -> Person | None:
    """Whoever wrote most of the ticket's public replies on the providing side (the
    latest writer on a tie): our agent, a team answering a hand-off, a vendor's user."""
    row = (
        Message.objects.filter(ticket=ticket, is_internal=False, author_side=Side.PROVIDER,
                               author__isnull=False)
        .values("author_id").annotate(n=Count("id"), last=Count("id"))
        .order_by("-n", "-author_id").first()
    )  # fmt: skip
    if row is None:
        return None
    return Person.objects.get(pk=row["author_id"])


def _checked_ratings(
    rubric: Rubric, ratings: Mapping[int, int | None]
) -> list[tuple[RubricCategory, int | None]]:
    categories = list(rubric.categories.all())
    known = {c.pk for c in categories}
    unknown = set(ratings) - known
    if unknown:
        raise Invalid(f"Category {sorted(unknown)[0]} is not in this rubric.", field="ratings")
    out = []
    for c in categories:
        if c.pk not in ratings:
            raise Invalid(f"Rate “{c.name}” (or mark it N/A where allowed).", field="ratings")
        value = ratings[c.pk]
        if value is None:
            if not c.allow_na and not c.bonus:
                raise Invalid(f"“{c.name}” may not be N/A.", field="ratings")
        elif not c.lowest <= value <= c.highest:
            raise Invalid(f"“{c.name}” is rated {c.lowest} to {c.highest}.", field="ratings")
        out.append((c, value))
    return out


def _store_ratings(review: Review, checked: list[tuple[RubricCategory, int | None]]) -> None:
    Rating.objects.filter(review=review).delete()
    Rating.objects.bulk_create([Rating(review=review, category=c, value=v) for c, v in checked])
    result = review_score(checked)
    review.score = result.score
    review.critical_failed = result.critical_failed


def _critical_fail_event(actor: Person | None, review: Review) -> None:
    """The contract with the improvement app: a critical category failed on a review
    that counts (not a self-review, not calibration)."""
    if review.critical_failed and review.kind == ReviewKind.REVIEW:
        events.append(
            review.ticket, actor, "qa_critical_fail", review=review.pk,
            agent=review.agent_id, provider=review.provider_party_id,
        )  # fmt: skip


@transaction.atomic
def submit_review(
    actor: Person,
    ticket: Ticket,
    rubric: Rubric,
    ratings: Mapping[int, int | None],
    *,
    agent: Person | None = None,
    comment: str = "",
    coaching_note: str = "",
    follow_up_on: date | None = None,
    session: CalibrationSession | None = None,
) -> Review:
    """Score a conversation against a rubric. The review is credited to `agent` (default:
    whoever wrote most public replies) and the ticket's provider. An agent reviewing
    their own conversation writes a self-review, shown apart and never counted."""
    scope = scope_for(actor)
    if not scope.is_staff or not can_view(scope, ticket):
        raise NotFound(f"There is no ticket #{ticket.pk} you can see.")
    if rubric.purpose != Purpose.QUALITY or not rubric.is_active:
        raise Invalid("Choose an active quality rubric.", field="rubric")
    checked = _checked_ratings(rubric, ratings)
    credited = agent or credited_author(ticket)
    if session is not None:
        kind = ReviewKind.CALIBRATION
        session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
        if session.closed_at is not None:
            raise Conflict("The calibration session is closed.")
        if not session.reviewers.filter(pk=actor.pk).exists():
            raise PermissionDenied("You are not a reviewer of this session.")
        if not session.tickets.filter(pk=ticket.pk).exists():
            raise Invalid("The ticket is not in this session.", field="ticket")
        if session.rubric_id != rubric.pk:
            raise Invalid("A session is scored with its own rubric.", field="rubric")
    elif credited is not None and credited.pk == actor.pk:
        kind = ReviewKind.SELF
    else:
        kind = ReviewKind.REVIEW
        if not queries.may_review(scope):
            raise PermissionDenied("Only team leads, managers and admins review others.")
    now = clock.now()
    review = Review(
        ticket=ticket, rubric=rubric, kind=kind, reviewer=actor, agent=credited,
        provider_party_id=ticket.provider_party_id, session=session,
        comment=_text(comment, "comment"), coaching_note=_text(coaching_note, "coaching_note"),
        follow_up_on=follow_up_on, created_at=now, updated_at=now,
    )  # fmt: skip
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise Conflict("You scored this conversation in this session already.") from exc
    _store_ratings(review, checked)
    review.save(update_fields=["score", "critical_failed"])
    if kind == ReviewKind.REVIEW:
        SampleItem.objects.filter(ticket=ticket, review__isnull=True).update(review=review)
        _critical_fail_event(actor, review)
        if credited is not None:
            notify([credited], "qa_review", ticket,
                   f"{actor.display_name} reviewed your conversation #{ticket.pk}: "
                   f"{_score_text(review.score)}.")  # fmt: skip
    return review


def _score_text(score: float | None) -> str:
    return "N/A" if score is None else f"{score:.0f} %"


@transaction.atomic
def set_coaching(
    actor: Person, review: Review, *, note: str, follow_up_on: date | None = None
) -> Review:
    review = queries.get_review(scope_for(actor), review.pk)
    if not queries.may_coach(scope_for(actor), review):
        raise PermissionDenied("Only the reviewer or the agent's lead coaches.")
    review.coaching_note = _text(note, "note", required=True)
    review.follow_up_on = follow_up_on
    review.acknowledged_at = None
    review.follow_up_sent_at = None
    review.updated_at = clock.now()
    review.save(update_fields=["coaching_note", "follow_up_on", "acknowledged_at",
                               "follow_up_sent_at", "updated_at"])  # fmt: skip
    if review.agent is not None:
        notify([review.agent], "qa_coaching", review.ticket,
               f"Coaching note on your conversation #{review.ticket_id}.")  # fmt: skip
    return review


@transaction.atomic
def acknowledge_coaching(actor: Person, review: Review) -> Review:
    review = queries.get_review(scope_for(actor), review.pk)
    if review.agent_id != actor.pk:
        raise PermissionDenied("Only the agent reviewed acknowledges the coaching.")
    if not review.coaching_note:
        raise Invalid("This review carries no coaching note.")
    if review.acknowledged_at is None:
        review.acknowledged_at = clock.now()
        review.save(update_fields=["acknowledged_at"])
    return review


def send_follow_up_reminders(today: date) -> int:
    """Tell each coach when a follow-up date arrives (once per note)."""
    due = list(
        Review.objects.filter(follow_up_on__lte=today, follow_up_sent_at__isnull=True)
        .exclude(coaching_note="").select_related("agent", "reviewer", "ticket")[:500]
    )  # fmt: skip
    now = clock.now()
    for review in due:
        who = review.agent.display_name if review.agent else "the agent"
        notify(
            [review.reviewer],
            "qa_follow_up",
            review.ticket,
            f"Follow up the coaching of {who} on #{review.ticket_id}"
            + (" (acknowledged)." if review.acknowledged_at else " (not acknowledged yet)."),
        )
        Review.objects.filter(pk=review.pk).update(follow_up_sent_at=now)
    return len(due)


# --- disputes -----------------------------------------------------------------------


@transaction.atomic
def dispute(
    actor: Person, review: Review, *, reason: str, category: RubricCategory | None = None
) -> Dispute:
    review = queries.get_review(scope_for(actor), review.pk)
    if review.agent_id != actor.pk or review.kind != ReviewKind.REVIEW:
        raise PermissionDenied("Only the agent reviewed can dispute a review.")
    if category is not None and category.rubric_id != review.rubric_id:
        raise Invalid("That category is not in the review's rubric.", field="category")
    if review.disputes.filter(status=DisputeStatus.OPEN).exists():
        raise Conflict("This review is disputed already.")
    d = Dispute.objects.create(
        review=review, category=category, raised_by=actor,
        reason=_text(reason, "reason", required=True), created_at=clock.now(),
    )  # fmt: skip
    notify(queries.arbitrators_of(review), "qa_dispute", review.ticket,
           f"{actor.display_name} disputes the review of #{review.ticket_id}.")  # fmt: skip
    return d


@transaction.atomic
def arbitrate(
    actor: Person,
    dispute_: Dispute,
    *,
    decision: str,
    note: str = "",
    ratings: Mapping[int, int | None] | None = None,
) -> Dispute:
    """A lead of the agent's team, a manager or an admin (never the reviewer, unless an
    admin) upholds the review or changes its ratings."""
    scope = scope_for(actor)
    d = Dispute.objects.select_for_update().select_related("review__ticket").filter(
        pk=dispute_.pk).first()  # fmt: skip
    if d is None or not queries.visible_reviews(scope).filter(pk=d.review_id).exists():
        raise NotFound(f"There is no dispute {dispute_.pk} you can see.")
    if not queries.may_arbitrate(scope, d.review):
        raise PermissionDenied("Only the agent's lead, a manager or an admin arbitrates.")
    if d.status != DisputeStatus.OPEN:
        raise Conflict("The dispute is decided already.")
    review = d.review
    d.score_before = review.score
    if decision == "uphold":
        d.status = DisputeStatus.UPHELD
    elif decision == "change":
        if not ratings:
            raise Invalid("Give the changed ratings.", field="ratings")
        current = {r.category_id: r.value for r in review.ratings.all()}
        current.update(ratings)
        checked = _checked_ratings(review.rubric, current)
        was_failed = review.critical_failed
        _store_ratings(review, checked)
        review.updated_at = clock.now()
        review.save(update_fields=["score", "critical_failed", "updated_at"])
        if review.critical_failed and not was_failed:
            _critical_fail_event(actor, review)
        d.status = DisputeStatus.CHANGED
    else:
        raise Invalid("Decide 'uphold' or 'change'.", field="decision")
    d.arbitrator = actor
    d.decision_note = _text(note, "note")
    d.decided_at = clock.now()
    d.save()
    notify([d.raised_by], "qa_dispute", review.ticket,
           f"Your dispute of the review of #{review.ticket_id} was "
           f"{d.get_status_display().lower()}: {_score_text(review.score)}.")  # fmt: skip
    return d


# --- calibration -------------------------------------------------------------------


@transaction.atomic
def create_calibration(
    actor: Person | None,
    *,
    name: str,
    rubric: Rubric,
    tickets: Sequence[Ticket],
    reviewers: Sequence[Person],
) -> CalibrationSession:
    scope = scope_of(actor)
    if not queries.may_manage_rubrics(scope):
        raise PermissionDenied("Only team leads, managers and admins run calibration.")
    if not 1 <= len(tickets) <= 20:
        raise Invalid("Choose 1 to 20 conversations.", field="tickets")
    if not 2 <= len(reviewers) <= 20:
        raise Invalid("Choose 2 to 20 reviewers.", field="reviewers")
    for t in tickets:
        if not can_view(scope, t):
            raise NotFound(f"There is no ticket #{t.pk} you can see.", field="tickets")
    for r in reviewers:
        if not r.staff_role:
            raise Invalid(f"{r.display_name} is not staff.", field="reviewers")
    session = CalibrationSession.objects.create(
        name=_text(name, "name", required=True, limit=200), rubric=rubric, created_by=actor,
        created_at=clock.now(),
    )  # fmt: skip
    session.tickets.set(tickets)
    session.reviewers.set(reviewers)
    notify(
        reviewers,
        "qa_calibration",
        None,
        f"Calibration “{session.name}”: score {len(tickets)} conversation(s), blind.",
    )
    return session


@transaction.atomic
def close_calibration(actor: Person | None, session: CalibrationSession) -> CalibrationSession:
    """Reveal every reviewer's scores to the session (its creator, managers, admins)."""
    scope = scope_of(actor)
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if not (scope.sees_everything or session.created_by_id == scope.person_id):
        raise PermissionDenied("Only whoever started the session closes it.")
    if session.closed_at is None:
        session.closed_at = clock.now()
        session.save(update_fields=["closed_at"])
    return session


# --- vendors' view of their reviews -------------------------------------------------


@transaction.atomic
def set_review_sharing(actor: Person, organisation: Organisation, *, shared: bool) -> ReviewSharing:
    """A vendor's or contractor's manager (its organisation admin), or our admin."""
    scope = scope_for(actor)
    if organisation.kind not in (OrgKind.VENDOR, OrgKind.CONTRACTOR):
        raise Invalid("Only vendors and contractors share reviews.", field="organisation")
    manages = OrgMembership.objects.filter(
        organisation=organisation, person=actor, is_admin=True).exists()  # fmt: skip
    if not (manages or scope.is_admin):
        raise PermissionDenied("Only the organisation's manager shares its reviews.")
    row, _ = ReviewSharing.objects.update_or_create(
        organisation=organisation,
        defaults={"shared": shared, "updated_by": actor, "updated_at": clock.now()},
    )
    return row
