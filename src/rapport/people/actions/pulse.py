"""Staff pulse: set up per team, rounds on a cadence, anonymous answers and comments,
leads' replies, and a comment turned into an anonymous change proposal."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, Team, TeamMembership
from rapport.directory.queries import Scope, scope_for
from rapport.notifications.actions import notify
from rapport.people.models import (
    PulseAnswer,
    PulseComment,
    PulseParticipation,
    PulseReply,
    PulseRound,
    PulseSurvey,
)
from rapport.people.models.pulse import CADENCE_DAYS, ITEMS, MAX_ITEMS, MIN_THRESHOLD
from rapport.policies import actions as policy_actions
from rapport.policies.models import Document, Proposal, ProposalStatus
from rapport.tickets.models import Ticket

MAX_COMMENT = 2000
ROUND_DAYS = 7  # a round stays open a week (or its cadence, when shorter)


def author_key(person_id: int, round_id: int) -> str:
    """Lets a comment's author find it again; nobody reading the table can tell who."""
    message = f"pulse-comment:{person_id}:{round_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def may_lead(scope: Scope, team: Team) -> bool:
    return scope.sees_everything or team.party_id in scope.lead_team_party_ids


@transaction.atomic
def set_up_pulse(
    actor: Person | None,
    team: Team,
    *,
    cadence: str = "monthly",
    items: list[str] | None = None,
    threshold: int = 5,
) -> PulseSurvey:
    if actor is not None and not may_lead(scope_for(actor), team):
        raise PermissionDenied("Only the team's lead, managers and admins set up its pulse.")
    if cadence not in CADENCE_DAYS:
        raise Invalid("Weekly, fortnightly, monthly or quarterly.", field="cadence")
    chosen = list(dict.fromkeys(items if items is not None else list(ITEMS)[:6]))
    if len(chosen) > MAX_ITEMS or any(i not in ITEMS for i in chosen):
        raise Invalid(f"Up to {MAX_ITEMS} of: {', '.join(ITEMS)}.", field="items")
    if threshold < MIN_THRESHOLD:
        raise Invalid(f"The anonymity threshold is at least {MIN_THRESHOLD}.", field="threshold")
    survey, _ = PulseSurvey.objects.update_or_create(
        team=team,
        defaults={"cadence": cadence, "items": chosen, "threshold": threshold,
                  "is_active": True, "created_at": clock.now()},
    )  # fmt: skip
    return survey


@transaction.atomic
def open_round(survey: PulseSurvey, *, at: datetime | None = None) -> PulseRound:
    at = at or clock.now()
    days = min(ROUND_DAYS, CADENCE_DAYS[survey.cadence])
    members = list(Person.objects.filter(team_memberships__team_id=survey.team_id,
                                         is_active=True))  # fmt: skip
    pulse_round = PulseRound.objects.create(
        survey=survey, opens_at=at, closes_at=at + timedelta(days=days), invited=len(members)
    )
    notify(members, "pulse", None, "Your team's pulse is open: a minute, anonymous.")
    return pulse_round


def open_due_rounds(now: datetime) -> int:
    """Each active survey whose cadence has come round gets a new round."""
    opened = 0
    for survey in PulseSurvey.objects.filter(is_active=True):
        last = survey.rounds.order_by("-opens_at").values_list("opens_at", flat=True).first()
        if last is None or now - last >= timedelta(days=CADENCE_DAYS[survey.cadence]):
            open_round(survey, at=now)
            opened += 1
    return opened


@transaction.atomic
def answer(
    actor: Person,
    pulse_round: PulseRound,
    *,
    enps: int,
    items: Mapping[str, int],
    comment: str = "",
) -> None:
    """Record an answer without its author (returns nothing to show back)."""
    survey = pulse_round.survey
    if not TeamMembership.objects.filter(team_id=survey.team_id, person=actor).exists():
        raise NotFound("There is no pulse for you here.")
    now = clock.now()
    if not pulse_round.opens_at <= now < pulse_round.closes_at:
        raise Conflict("This pulse round is closed.")
    if not 0 <= enps <= 10:
        raise Invalid("0 to 10.", field="enps")
    unknown = set(items) - set(survey.items)
    if unknown:
        raise Invalid(f"This pulse does not ask “{sorted(unknown)[0]}”.", field="items")
    for value in items.values():
        if not 1 <= value <= 5:
            raise Invalid("Each item is 1 to 5.", field="items")
    text = (comment or "").replace("\x00", "").strip()
    if len(text) > MAX_COMMENT:
        raise Invalid(f"At most {MAX_COMMENT} characters.", field="comment")
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(round=pulse_round, person=actor)
    except IntegrityError as exc:
        raise Conflict("You answered this round already.") from exc
    PulseAnswer.objects.create(round=pulse_round, enps=enps, items=dict(items))
    if text:
        PulseComment.objects.create(round=pulse_round, text=text,
                                    author_key=author_key(actor.pk, pulse_round.pk))  # fmt: skip


def _comment_for_lead(actor: Person, comment: PulseComment) -> PulseComment:
    comment = PulseComment.objects.select_related("round__survey__team").get(pk=comment.pk)
    if not may_lead(scope_for(actor), comment.round.survey.team):
        raise NotFound(f"There is no comment {comment.pk} you can see.")
    return comment


@transaction.atomic
def reply_to_comment(actor: Person, comment: PulseComment, *, text: str) -> PulseReply:
    """The team's lead answers; the author reads it on their pulse page, unnamed."""
    comment = _comment_for_lead(actor, comment)
    text = (text or "").replace("\x00", "").strip()
    if not text or len(text) > MAX_COMMENT:
        raise Invalid(f"1 to {MAX_COMMENT} characters.", field="text")
    return PulseReply.objects.create(comment=comment, author=actor, text=text,
                                     created_at=clock.now())  # fmt: skip


@transaction.atomic
def propose_from_comment(
    actor: Person, comment: PulseComment, document: Document, *, proposed_fix: str
) -> Proposal:
    """The comment becomes a change proposal on a policy, filed by the lead for the
    team without naming its author; the team hears the decision ("you said, we did")."""
    comment = _comment_for_lead(actor, comment)
    if comment.proposal_id is not None:
        raise Conflict("This comment is a proposal already.")
    proposal = policy_actions.file_proposal(
        actor, document, what_is_wrong=comment.text,
        why=f"Said anonymously in {comment.round.survey.team.name}'s staff pulse.",
        proposed_fix=proposed_fix,
    )  # fmt: skip
    comment.proposal = proposal
    comment.save(update_fields=["proposal"])
    return proposal


def tell_team_of_decision(ticket: Ticket) -> None:
    """ "You said, we did": once the proposal raised from a pulse comment is decided, its
    team is told (once)."""
    for comment in PulseComment.objects.filter(
        proposal__ticket=ticket, told_at__isnull=True
    ).select_related("proposal__document", "round__survey__team"):
        proposal = comment.proposal
        if proposal is None or proposal.status == ProposalStatus.OPEN:
            continue
        verdict = {
            ProposalStatus.ACCEPTED: "we are changing it",
            ProposalStatus.DECLINED: f"we kept it: {proposal.decision_reason}",
        }.get(proposal.status, proposal.get_status_display().lower())  # type: ignore[call-overload]
        team = comment.round.survey.team
        members = Person.objects.filter(team_memberships__team=team)
        notify(list(members), "pulse", None,
               f"You said: “{comment.text[:200]}”. We did: “{proposal.document.title}” — "
               f"{verdict}.")  # fmt: skip
        PulseComment.objects.filter(pk=comment.pk).update(told_at=clock.now())
