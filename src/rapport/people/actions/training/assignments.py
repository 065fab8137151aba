"""Training assignments: one engine for every cause.

Each cause has a `trigger_key`, unique per person, so a cause that fires twice (a
reaction run again, a sweep that overlaps another) still assigns once; rows go in with
one batch of INSERTs that skips the ones already there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, Team, TeamMembership
from rapport.notifications.actions import notify
from rapport.people.actions.training.common import leads, scope_of, text
from rapport.people.models import (
    Assessment,
    Assignment,
    Evidence,
    ItemKind,
    PlanItem,
    PlanKind,
    Scenario,
    Score,
    TrainingPlan,
    Trigger,
)
from rapport.policies import actions as policy_actions
from rapport.policies.models import Document, ReadTask

REMIND_BEFORE = timedelta(days=2)
REMIND_EVERY = timedelta(days=1)
REMINDERS_PER_SWEEP = 500
BATCH = 1000


def _may_manage_team(actor: Person | None, team: Team | None) -> None:
    scope = scope_of(actor)
    if scope.sees_everything:
        return
    if team is not None and team.party_id in scope.lead_team_party_ids:
        return
    raise PermissionDenied("Only admins, managers and the team's lead can do this.")


@transaction.atomic
def create_plan(
    actor: Person | None,
    *,
    name: str,
    kind: str,
    team: Team | None,
    items: Sequence[Mapping[str, Any]],
    recertify_days: int | None = None,
    pass_mark: float = 3.0,
) -> TrainingPlan:
    """`items`: {kind, title, document, scenario, due_days} in order."""
    _may_manage_team(actor, team)
    if kind not in PlanKind.values:
        raise Invalid("Onboarding or recurring.", field="kind")
    if kind == PlanKind.ONBOARDING and team is None:
        raise Invalid("An onboarding plan belongs to a team.", field="team")
    if recertify_days is not None and not 1 <= recertify_days <= 3650:
        raise Invalid("Recertify after 1 to 3,650 days.", field="recertify_days")
    if not 1 <= pass_mark <= 5:
        raise Invalid("A pass mark is a level from 1 to 5.", field="pass_mark")
    if not 1 <= len(items) <= 50:
        raise Invalid("A plan has 1 to 50 items.", field="items")
    plan = TrainingPlan.objects.create(
        name=text(name, "name", limit=200), kind=kind, team=team,
        recertify_days=recertify_days, pass_mark=pass_mark, created_at=clock.now(),
    )  # fmt: skip
    rows = []
    for i, item in enumerate(items):
        field = f"items.{i}"
        item_kind = item.get("kind")
        document, scenario = item.get("document"), item.get("scenario")
        if item_kind not in ItemKind.values:
            raise Invalid("A document, a scenario or a session.", field=f"{field}.kind")
        if item_kind == ItemKind.DOCUMENT and not isinstance(document, Document):
            raise Invalid("Name the document to read.", field=f"{field}.document")
        if item_kind == ItemKind.SCENARIO and not isinstance(scenario, Scenario):
            raise Invalid("Name the scenario to practise.", field=f"{field}.scenario")
        due_days = item.get("due_days", 14)
        if not isinstance(due_days, int) or not 0 <= due_days <= 365:
            raise Invalid("Due 0 to 365 days after the start.", field=f"{field}.due_days")
        title = item.get("title") or (document.title if document else "") or (
            scenario.title if scenario else "")  # fmt: skip
        rows.append(PlanItem(
            plan=plan, position=i, kind=item_kind, title=text(title, f"{field}.title", limit=200),
            document=document if item_kind == ItemKind.DOCUMENT else None,
            scenario=scenario if item_kind == ItemKind.SCENARIO else None, due_days=due_days,
        ))  # fmt: skip
    PlanItem.objects.bulk_create(rows)
    return plan


def _insert(rows: Iterable[Assignment]) -> int:
    """Insert the rows whose cause is new for their person; returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    keys = {r.trigger_key for r in rows}
    existing = set(
        Assignment.objects.filter(trigger_key__in=keys).values_list("person_id", "trigger_key")
    ) if len(keys) <= 500 else set()  # fmt: skip
    new = [r for r in rows if (r.person_id, r.trigger_key) not in existing]
    # Skipping conflicts still guards against a concurrent sweep.
    Assignment.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return len(new)


def _plan_rows(
    plan: TrainingPlan,
    people: Iterable[int],
    start: datetime | Mapping[int, datetime],
    trigger: str,
    now: datetime,
) -> Iterable[Assignment]:
    items = list(plan.items.all())
    for person_id in people:
        begin = start[person_id] if isinstance(start, Mapping) else start
        for item in items:
            yield Assignment(
                person_id=person_id, trigger=trigger, trigger_key=f"{trigger}:{item.pk}",
                kind=item.kind, title=item.title, plan=plan, item=item,
                document_id=item.document_id, scenario_id=item.scenario_id,
                pass_mark=plan.pass_mark, recertify_days=plan.recertify_days,
                assigned_at=now, due_at=begin + timedelta(days=item.due_days),
            )  # fmt: skip


# The columns a plan's rows fill, for the batch INSERT below; the rest are null or blank.
PLAN_COLUMNS = ("person_id", "trigger", "trigger_key", "kind", "title", "plan_id", "item_id",
                "document_id", "scenario_id", "pass_mark", "recertify_days", "assigned_at",
                "due_at", "evidence", "evidence_note")  # fmt: skip


def _insert_plan(plan: TrainingPlan, people: Sequence[int], start: datetime, trigger: str,
                 now: datetime) -> int:  # fmt: skip
    """A plan for many people in one prepared INSERT run over plain tuples: building
    15,000 model instances and compiling their INSERTs cost ten times the database's
    own work (measured: 5,000 staff × 3 items)."""
    items = list(plan.items.all())
    keys = [f"{trigger}:{item.pk}" for item in items]
    existing = set(
        Assignment.objects.filter(trigger_key__in=keys).values_list("person_id", "trigger_key")
    )
    adapt = connection.ops.adapt_datetimefield_value
    assigned = adapt(now)
    dues = [adapt(start + timedelta(days=item.due_days)) for item in items]
    rows = [
        (person_id, trigger, key, item.kind, item.title, plan.pk, item.pk, item.document_id,
         item.scenario_id, plan.pass_mark, plan.recertify_days, assigned, due, "", "")
        for person_id in people
        for item, key, due in zip(items, keys, dues, strict=True)
        if (person_id, key) not in existing
    ]  # fmt: skip
    table = Assignment._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(PLAN_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(PLAN_COLUMNS))}) "
        "ON CONFLICT (person_id, trigger_key) DO NOTHING"
    )
    with connection.cursor() as cursor:
        for at in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[at : at + BATCH])
    return len(rows)


@transaction.atomic
def assign_plan(
    actor: Person | None, plan: TrainingPlan, people: Sequence[Person | int],
    *, start: datetime | None = None,
) -> int:  # fmt: skip
    """Assign every item of the plan to each person (staff only), due relative to
    `start` (today by default); returns how many assignments are new."""
    _may_manage_team(actor, plan.team)
    if not plan.is_active:
        raise Conflict("The plan is retired.")
    ids = {p if isinstance(p, int) else p.pk for p in people}
    if len(ids) > 20_000:
        raise Invalid("At most 20,000 people at once.", field="people")
    staff = set(
        Person.objects.filter(pk__in=ids, is_active=True)
        .exclude(staff_role="")
        .values_list("pk", flat=True)
    ) if len(ids) <= 2000 else _staff_among(ids)  # fmt: skip
    if staff != ids:
        raise Invalid("Training is assigned to active staff only.", field="people")
    now = clock.now()
    trigger = Trigger.ONBOARDING if plan.kind == PlanKind.ONBOARDING else Trigger.PLAN
    return _insert_plan(plan, sorted(ids), start or now, trigger, now)


def _staff_among(ids: set[int]) -> set[int]:
    # Large sets are read whole rather than passed as thousands of parameters.
    everyone = Person.objects.filter(is_active=True).exclude(staff_role="")
    return ids & set(everyone.values_list("pk", flat=True))


@transaction.atomic
def onboard(actor: Person | None, person: Person, team: Team, *, start: datetime) -> int:
    """A new member of a team gets the team's onboarding plans, due from their start."""
    _may_manage_team(actor, team)
    if not TeamMembership.objects.filter(team=team, person=person).exists():
        raise Invalid("The person is not a member of the team.", field="person")
    total = 0
    for plan in TrainingPlan.objects.filter(team=team, kind=PlanKind.ONBOARDING, is_active=True):
        total += _insert(_plan_rows(plan, [person.pk], start, Trigger.ONBOARDING, clock.now()))
    return total


def _onboard_new_members(now: datetime) -> int:
    """Members who joined after their team's onboarding plan was made, from the day they
    joined (a person's `date_joined`)."""
    total = 0
    for plan in TrainingPlan.objects.filter(kind=PlanKind.ONBOARDING, is_active=True):
        started = dict(
            Person.objects.filter(
                team_memberships__team_id=plan.team_id or 0, date_joined__gte=plan.created_at,
                is_active=True,
            ).exclude(staff_role="").values_list("pk", "date_joined")
        )  # fmt: skip
        done = set(
            Assignment.objects.filter(plan=plan, trigger=Trigger.ONBOARDING).values_list(
                "person_id", flat=True
            )
        )
        new = {pk: at for pk, at in started.items() if pk not in done}
        if new:
            total += _insert(_plan_rows(plan, sorted(new), new, Trigger.ONBOARDING, now))
    return total


def _sync_read_tasks(now: datetime) -> int:
    """A must-read version's read tasks (written by the policies app) each stand as an
    assignment linked to the task, so currency and reminders see them; done when the
    task is acknowledged."""
    linked = Assignment.objects.filter(read_task__isnull=False).values("read_task_id")
    new = (
        ReadTask.objects.filter(version__must_read=True)
        .exclude(pk__in=linked)
        .select_related("version")
    )
    created = _insert(
        Assignment(
            person_id=t.person_id, trigger=Trigger.MUST_READ, trigger_key=f"must_read:{t.pk}",
            kind=ItemKind.DOCUMENT, title=t.version.title[:200],
            document_id=t.version.document_id, read_task=t, assigned_at=t.assigned_at,
            due_at=t.due_at, completed_at=t.acknowledged_at,
            evidence=Evidence.ACKNOWLEDGED if t.acknowledged_at else "",
        )
        for t in new.iterator(chunk_size=BATCH)
    )  # fmt: skip
    acknowledged = Assignment.objects.filter(
        read_task__isnull=False, completed_at__isnull=True, read_task__acknowledged_at__isnull=False
    ).select_related("read_task")
    for a in acknowledged:
        assert a.read_task is not None
        Assignment.objects.filter(pk=a.pk).update(
            completed_at=a.read_task.acknowledged_at, evidence=Evidence.ACKNOWLEDGED
        )
    return created


def _recertify(now: datetime) -> int:
    """A completion older than its interval is due again, from the day it lapses."""
    total = 0
    intervals = set(
        Assignment.objects.filter(recertify_days__isnull=False, renewed_at__isnull=True)
        .exclude(completed_at=None)
        .values_list("recertify_days", flat=True)
    )
    for days in sorted(d for d in intervals if d is not None):
        lapsed = list(
            Assignment.objects.filter(
                recertify_days=days,
                renewed_at__isnull=True,
                completed_at__lte=now - timedelta(days=days),
            )
        )
        total += _insert(
            Assignment(
                person_id=a.person_id, trigger=Trigger.RECERTIFICATION,
                trigger_key=f"recertification:{a.pk}", kind=a.kind, title=a.title,
                plan_id=a.plan_id, item_id=a.item_id, document_id=a.document_id,
                scenario_id=a.scenario_id, pass_mark=a.pass_mark, recertify_days=days,
                assigned_at=now, due_at=a.completed_at + timedelta(days=days),
            )
            for a in lapsed
            if a.completed_at is not None
        )  # fmt: skip
        Assignment.objects.filter(pk__in=[a.pk for a in lapsed]).update(renewed_at=now)
    return total


def _remind(now: datetime) -> int:
    due = list(
        Assignment.objects.filter(completed_at__isnull=True, due_at__lte=now + REMIND_BEFORE)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
        .select_related("person")
        .order_by("due_at", "id")[:REMINDERS_PER_SWEEP]
    )
    for a in due:
        when = "is overdue" if a.due_at <= now else f"is due on {a.due_at:%d %b %Y}"
        notify([a.person], "training_due", None, f"Training: {a.title} {when}.")
    Assignment.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=now)
    return len(due)


@transaction.atomic
def sweep() -> dict[str, int]:
    """The periodic pass: new members' onboarding, must-read tasks, recertification and
    reminders. Safe to run any number of times."""
    now = clock.now()
    return {
        "onboarding": _onboard_new_members(now),
        "must_read": _sync_read_tasks(now),
        "recertification": _recertify(now),
        "reminded": _remind(now),
    }


@transaction.atomic
def on_corrective_action(data: Mapping[str, Any]) -> int:
    """A corrective action with cause *training* (or *personnel*: a reassessment) for the
    people or the team it names; one assignment per person per action."""
    action = data.get("action")
    if not isinstance(action, int):
        return 0
    people = {p for p in data.get("people") or [] if isinstance(p, int)}
    team = data.get("team")
    if not people and isinstance(team, int):
        people = set(
            TeamMembership.objects.filter(team_id=team).values_list("person_id", flat=True)
        )
    staff = list(
        Person.objects.filter(pk__in=people, is_active=True)
        .exclude(staff_role="")
        .values_list("pk", flat=True)
    )
    if not staff:
        return 0
    now = clock.now()
    try:
        due = datetime.fromisoformat(str(data.get("due")))
        due = due if due.tzinfo else due.replace(tzinfo=now.tzinfo)
    except ValueError:
        due = now + timedelta(days=14)
    document = Document.objects.filter(pk=data.get("document") or 0).first()
    if data.get("cause") == "personnel":
        kind, title = ItemKind.SCENARIO, f"Reassessment after corrective action {action}"
    elif document is not None:
        kind, title = ItemKind.DOCUMENT, f"Read again: {document.title}"[:200]
    else:
        kind, title = ItemKind.SESSION, f"Training after corrective action {action}"
    return _insert(
        Assignment(
            person_id=pk, trigger=Trigger.CORRECTIVE, trigger_key=f"corrective:{action}",
            kind=kind, title=title, document=document if kind == ItemKind.DOCUMENT else None,
            assigned_at=now, due_at=due,
        )
        for pk in staff
    )  # fmt: skip


@transaction.atomic
def assign_for_quality(
    *, review: int, person: Person, category: int, category_name: str, score: float,
    threshold: float, document: Document | None = None, days: int = 14,
) -> Assignment | None:  # fmt: skip
    """For the quality reviews: a category scored below its threshold (both 0–100)
    assigns the person training on it, once per review and category."""
    if score >= threshold or not person.staff_role:
        return None
    now = clock.now()
    kind = ItemKind.DOCUMENT if document is not None else ItemKind.SESSION
    _insert([Assignment(
        person=person, trigger=Trigger.QUALITY, trigger_key=f"quality:{review}:{category}",
        kind=kind, title=f"Coaching: {category_name}"[:200], document=document,
        assigned_at=now, due_at=now + timedelta(days=days),
    )])  # fmt: skip
    return Assignment.objects.get(person=person, trigger_key=f"quality:{review}:{category}")


def _open(actor: Person, assignment: Assignment) -> Assignment:
    row = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if row is None:
        raise NotFound("There is no such assignment.")
    if row.person_id != actor.pk and not leads(scope_of(actor), row.person_id):
        raise NotFound("There is no such assignment of yours.")
    return row


def _done(row: Assignment, evidence: str, by: Person | None, note: str = "",
          assessment: Assessment | None = None) -> Assignment:  # fmt: skip
    row.completed_at = clock.now()
    row.evidence = evidence
    row.evidence_note = note
    row.completed_by = by
    row.assessment = assessment
    row.save(update_fields=["completed_at", "evidence", "evidence_note", "completed_by",
                            "assessment"])  # fmt: skip
    return row


@transaction.atomic
def acknowledge(actor: Person, assignment: Assignment, answers: Sequence[int] = ()) -> Assignment:
    """The person read the document's published version and passed its check."""
    row = _open(actor, assignment)
    if row.person_id != actor.pk:
        raise PermissionDenied("Only the person it is assigned to can acknowledge it.")
    if row.kind != ItemKind.DOCUMENT or row.document_id is None:
        raise Conflict("Only a document is acknowledged.")
    if row.completed_at is not None:
        return row
    document = Document.objects.select_related("published").get(pk=row.document_id)
    version = document.published
    if version is None:
        raise Conflict("The document has no published version to read yet.")
    if ReadTask.objects.filter(version=version, person=actor).exists():
        # The policies app records the acknowledgement (and checks the answers).
        policy_actions.acknowledge(actor, version, answers)
    else:
        questions = list(version.questions.all())
        if questions and (
            len(answers) != len(questions)
            or any(q.correct != a for q, a in zip(questions, answers, strict=True))
        ):
            raise Invalid("Some answers are not right; read it again and retry.",
                          field="answers")  # fmt: skip
    return _done(row, Evidence.ACKNOWLEDGED, actor, f"Version {version.number}")


@transaction.atomic
def mark_attended(actor: Person, assignment: Assignment, note: str = "") -> Assignment:
    """The lead ticks a session as attended."""
    row = _open(actor, assignment)
    if row.person_id == actor.pk and not scope_of(actor).sees_everything:
        raise PermissionDenied("The lead ticks attendance, not the attendee.")
    if row.completed_at is not None:
        return row
    return _done(row, Evidence.ATTENDED, actor, text(note, "note", required=False, limit=500))


def complete_by_score(assessment: Assessment) -> int:
    """A revealed practice whose mean level reaches an open scenario assignment's pass
    mark completes it (a reassessment with no scenario named takes any)."""
    levels = list(Score.objects.filter(seat__assessment=assessment).values_list("level", flat=True))
    if not levels or assessment.trainee_id is None:
        return 0
    mean = sum(levels) / len(levels)
    open_rows = Assignment.objects.filter(
        person_id=assessment.trainee_id, kind=ItemKind.SCENARIO, completed_at__isnull=True,
        pass_mark__lte=mean,
    ).filter(Q(scenario=assessment.scenario) | Q(scenario__isnull=True))  # fmt: skip
    return open_rows.update(
        completed_at=clock.now(),
        evidence=Evidence.SCORE,
        assessment=assessment,
        evidence_note=f"Mean level {mean:.1f}",
    )
