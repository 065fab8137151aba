"""The demo company's outcome reviews, written through the actions like the rest of
the demo: the period's reviews across the five causes with a believable skew (most from
procedures and training, few from personnel), problems, corrective actions in every
state, and two effectiveness checks (one effective, one not)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from rapport.core import clock
from rapport.directory.models import Party, Person, Team, TeamMembership, TeamRole
from rapport.improvement import actions
from rapport.improvement.models import (
    ActionKind,
    ActionState,
    Cause,
    CorrectiveAction,
    Review,
    ReviewStatus,
    Trigger,
)
from rapport.policies.models import Document, Kind
from rapport.tickets.models import Ticket

SEED = 2020
TRIGGERS = [
    (Trigger.BREACH, 34),
    (Trigger.CSAT, 22),
    (Trigger.NPS, 10),
    (Trigger.CES, 8),
    (Trigger.REOPEN, 14),
    (Trigger.COMPLAINT, 12),
]
CAUSES = [
    (Cause.PROCEDURE, 34),
    (Cause.TRAINING, 27),
    (Cause.POLICY, 11),
    (Cause.MANAGEMENT, 10),
    (Cause.PERSONNEL, 5),
    (Cause.OUTSIDE, 13),
]
WHYS = {
    Cause.PROCEDURE: [
        "The refund took three hand-offs",
        "Nobody owned the check step",
        "The procedure stops at 'escalate' without saying to whom",
    ],
    Cause.TRAINING: [
        "The agent did not know the courier portal",
        "New starters skip the module",
        "The module predates the new billing system",
    ],
    Cause.POLICY: [
        "The policy caps goodwill below the courier's fee",
        "The agent could not decide without a manager",
    ],
    Cause.MANAGEMENT: ["Nobody watched the queue at lunch", "The rota left Friday uncovered"],
    Cause.PERSONNEL: ["The reply was curt after a clear explanation"],
    Cause.OUTSIDE: ["The carrier's depot flooded"],
}


def _leads() -> dict[int, Person]:
    rows = TeamMembership.objects.filter(role=TeamRole.LEAD).select_related("team", "person")
    return {m.team.party_id: m.person for m in rows}


def build_improvement(now: datetime) -> None:
    """Reviews of the demo's tickets; `now` is the demo's present."""
    rng = random.Random(SEED)
    manager = Person.objects.filter(staff_role="manager").order_by("pk").first()
    admin = Person.objects.filter(staff_role="admin").order_by("pk").first()
    if manager is None or admin is None:
        return
    leads = _leads()
    for party_id, lead in leads.items():
        actions.set_reviewers(None, Party.objects.get(pk=party_id), [lead])
    actions.set_rule(None, Trigger.BREACH, enabled=True, share=50, seed=7)
    documents: dict[str, list[Document]] = {
        kind: list(Document.objects.filter(kind=kind).order_by("pk"))
        for kind in (Kind.POLICY, Kind.PROCEDURE)
    }
    teams = {t.name: t.party_id for t in Team.objects.all()}
    reserved = {(Cause.PROCEDURE, teams.get("Logistics")), (Cause.TRAINING, teams.get("Billing"))}
    tickets = list(
        Ticket.objects.filter(
            parent__isnull=True, merged_into__isnull=True, created_at__gte=now - timedelta(days=90)
        )
        .select_related("provider_party")
        .order_by("pk")
    )
    picked = [t for t in tickets if rng.random() < 0.45][:140]
    closed: list[Review] = []
    for ticket in picked:
        opened = min(
            ticket.created_at + timedelta(hours=rng.uniform(1, 30)), now - timedelta(hours=1)
        )
        trigger = rng.choices([t for t, _ in TRIGGERS], [w for _, w in TRIGGERS])[0]
        review = actions.open_review(
            trigger, f"demo:{ticket.pk}", ticket=ticket, at=opened, detail={"demo": True}
        )
        if review is None:
            continue
        if review.reviewer_id is None:
            actions.assign(None, review, manager)
            review.reviewer = manager
        if now - opened < timedelta(days=4) or rng.random() < 0.12:
            continue  # still in someone's queue
        cause = rng.choices([c for c, _ in CAUSES], [w for _, w in CAUSES])[0]
        if (cause, review.responsible_id) in reserved:
            # Kept for the effectiveness checks: the other common cause instead.
            cause = Cause.TRAINING if cause == Cause.PROCEDURE else Cause.PROCEDURE
        closed.append(_close(review, cause, opened, now, rng, documents, manager, admin))
    _problems(closed, manager, now)
    _act(closed, manager, now, rng)
    _checks(now, manager, teams, documents)


def _close(
    review: Review,
    cause: str,
    opened: datetime,
    now: datetime,
    rng: random.Random,
    documents: dict[str, list[Document]],
    manager: Person,
    admin: Person,
) -> Review:
    reviewer = review.reviewer or manager
    docs = documents.get(cause, [])
    linked = [docs[rng.randrange(len(docs))]] if docs else []
    whys = WHYS[Cause(cause)][: rng.randint(1, 3)]
    at = min(opened + timedelta(days=rng.uniform(0.5, 3)), now - timedelta(minutes=5))
    with clock.travel_to(at):
        actions.record(
            reviewer,
            review,
            cause=cause,
            whys=whys,
            documents=linked,
            cause_reason="Regional flooding closed the depot" if cause == Cause.OUTSIDE else "",
        )
        actions.close(reviewer, review)
        if cause == Cause.PERSONNEL and rng.random() < 0.5:
            second = admin if reviewer.pk == manager.pk else manager
            actions.agree_personnel(second, review)
    return Review.objects.get(pk=review.pk)  # as the actions left it


def _problems(closed: list[Review], manager: Person, now: datetime) -> None:
    by_doc: dict[int, list[Review]] = {}
    for r in closed:
        if r.cause == Cause.PROCEDURE:
            for d in r.documents.all():
                by_doc.setdefault(d.pk, []).append(r)
    top = sorted(by_doc.items(), key=lambda kv: -len(kv[1]))[:2]
    with clock.travel_to(now - timedelta(days=3)):
        for i, (doc_id, reviews) in enumerate(top):
            title = Document.objects.get(pk=doc_id).title
            problem = actions.create_problem(
                manager, title=f"Gaps in “{title}”", cause=Cause.PROCEDURE, reviews=reviews[:6]
            )
            if i == 0:
                actions.close_problem(manager, problem)
        training = [r for r in closed if r.cause == Cause.TRAINING][:5]
        if training:
            actions.create_problem(
                manager,
                title="New starters miss the courier portal",
                cause=Cause.TRAINING,
                reviews=training,
            )


def _act(closed: list[Review], manager: Person, now: datetime, rng: random.Random) -> None:
    """Actions in every state: some left proposed, most confirmed, some done or cancelled."""
    proposals = 0
    ids = [r.pk for r in closed]
    for action in (
        CorrectiveAction.objects.filter(review_id__in=ids).select_related("review").order_by("pk")
    ):
        roll = rng.random()
        if roll < 0.3:
            continue  # proposed, waiting for the reviewer
        if action.kind == ActionKind.CHANGE_PROPOSAL:
            if action.document_id is None or proposals >= 6:
                continue
            proposals += 1
        closed_at = action.review.closed_at if action.review is not None else None
        when = min((closed_at or now) + timedelta(hours=2), now)
        with clock.travel_to(when):
            if roll > 0.93:
                actions.cancel(manager, action, reason="Covered by another action")
                continue
            action = actions.confirm(manager, action)
        if roll > 0.6 and action.state == ActionState.OPEN:
            with clock.travel_to(min(when + timedelta(days=rng.uniform(2, 12)), now)):
                actions.complete(manager, action)


def _checks(
    now: datetime, manager: Person, teams: dict[str, int], documents: dict[str, list[Document]]
) -> None:
    """Two actions done 30 days ago and checked today: fewer procedure reviews of
    Logistics per ticket after its change (effective), more training reviews of Billing
    after its course (not effective, the problem reopens)."""
    done = now - timedelta(days=30)
    plans = [("Logistics", Cause.PROCEDURE, 5, 1), ("Billing", Cause.TRAINING, 1, 4)]
    actions.set_preferences(None, word_of_mouth_factor=9, effectiveness_days=30)
    for team, cause, before, after in plans:
        party = teams.get(team)
        pool = list(
            Ticket.objects.filter(provider_party_id=party, parent__isnull=True).order_by("pk")[:40]
        )
        if not pool:
            continue
        made = []
        for n, (count, start) in enumerate(
            ((before, done - timedelta(days=28)), (after, done + timedelta(days=2)))
        ):
            for i in range(count):
                ticket = pool[(n * 10 + i) % len(pool)]
                at = start + timedelta(days=i * 5)
                review = actions.open_review(
                    Trigger.CSAT, f"demo-check:{team}:{n}:{i}", ticket=ticket, at=at
                )
                assert review is not None
                docs = documents.get(cause, [])[:1]
                with clock.travel_to(min(at + timedelta(days=1), now)):
                    actions.record(
                        manager, review, cause=cause, documents=docs, whys=WHYS[Cause(cause)][:2]
                    )
                    actions.close(manager, review)
                made.append(review)
        first = made[0]
        action = CorrectiveAction.objects.filter(review=first, state=ActionState.PROPOSED).first()
        if action is None:
            continue
        with clock.travel_to(done - timedelta(days=1)):
            action = actions.confirm(manager, action, owner=manager)
        with clock.travel_to(done):
            actions.complete(manager, action)
    actions.set_preferences(None, word_of_mouth_factor=9, effectiveness_days=60)
    actions.run_due_checks(now)
    stale = Review.objects.filter(status=ReviewStatus.OPEN, reviewer__isnull=True)
    for review in stale:
        actions.assign(None, review, manager)
