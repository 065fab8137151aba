"""Candidates, assessments with a blind panel, decisions and the pre-hire exam."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, Team
from rapport.people.actions.training.assignments import complete_by_score
from rapport.people.actions.training.common import leads, require_manager, scope_of, text
from rapport.people.models import (
    Assessment,
    AssessmentStatus,
    Candidate,
    Decision,
    Exam,
    ExamAttempt,
    ExamQuestion,
    Outcome,
    PanelSeat,
    Purpose,
    Scenario,
    Score,
    Stage,
)

MIN_PANEL = 2
MAX_PANEL = 6


@transaction.atomic
def add_candidate(
    actor: Person | None, *, full_name: str, email: str = "", phone: str = "",
    team: Team | None = None, notes: str = "",
) -> Candidate:  # fmt: skip
    require_manager(scope_of(actor), "add candidates")
    email = text(email, "email", required=False, limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Invalid("Not an e-mail address.", field="email") from exc
    return Candidate.objects.create(
        full_name=text(full_name, "full_name", limit=200), email=email,
        phone=text(phone, "phone", required=False, limit=40), team=team,
        notes=text(notes, "notes", required=False), created_by=actor, created_at=clock.now(),
    )  # fmt: skip


def _panel(assessors: Sequence[Person], minimum: int) -> list[Person]:
    unique = list({p.pk: p for p in assessors}.values())
    if len(unique) < minimum:
        raise Invalid(f"A panel has at least {minimum} different assessors.", field="assessors")
    if len(unique) > MAX_PANEL:
        raise Invalid(f"A panel has at most {MAX_PANEL} assessors.", field="assessors")
    if any(not p.staff_role or not p.is_active for p in unique):
        raise Invalid("Every assessor is an active staff member.", field="assessors")
    return unique


@transaction.atomic
def start_assessment(
    actor: Person | None,
    scenario: Scenario,
    *,
    assessors: Sequence[Person],
    candidate: Candidate | None = None,
    trainee: Person | None = None,
    previous: Assessment | None = None,
) -> Assessment:
    """A hiring role play (a candidate, a panel of two or more, admins and managers
    arrange it) or a practice (a staff member with their lead or a manager)."""
    scope = scope_of(actor)
    if (candidate is None) == (trainee is None):
        raise Invalid("Assess either a candidate or a staff member.", field="candidate")
    if not scenario.is_active:
        raise Conflict("The scenario is retired.")
    if candidate is not None:
        require_manager(scope, "arrange a hiring assessment")
        panel = _panel(assessors, MIN_PANEL)
        purpose = Purpose.HIRING
    else:
        assert trainee is not None
        if not trainee.staff_role:
            raise Invalid("Practice is for staff; assess candidates for hiring.", field="trainee")
        if not leads(scope, trainee.pk):
            raise PermissionDenied("Only the person's lead, a manager or an admin can.")
        panel = _panel(assessors, 1)
        purpose = Purpose.TRAINING
    attempt = 1
    if previous is not None:
        previous = Assessment.objects.get(pk=previous.pk)
        if (previous.candidate_id, previous.trainee_id) != (
            getattr(candidate, "pk", None),
            getattr(trainee, "pk", None),
        ):
            raise Invalid("A second attempt is by the same person.", field="previous")
        if previous.status != AssessmentStatus.REVEALED or not previous.feedback:
            raise Conflict("A second attempt follows written feedback on the first.")
        attempt = previous.attempt + 1
    assessment = Assessment.objects.create(
        purpose=purpose, scenario=scenario, candidate=candidate, trainee=trainee,
        attempt=attempt, previous=previous, created_by=actor, created_at=clock.now(),
    )  # fmt: skip
    PanelSeat.objects.bulk_create(PanelSeat(assessment=assessment, assessor=p) for p in panel)
    if candidate is not None:
        stage = Stage.SECOND if previous is not None else Stage.ROLE_PLAY
        Candidate.objects.filter(pk=candidate.pk).exclude(stage=Stage.DECIDED).update(stage=stage)
    return assessment


def _seat(actor: Person, assessment: Assessment) -> PanelSeat:
    seat = (
        PanelSeat.objects.select_for_update().filter(assessment=assessment, assessor=actor).first()
    )
    if seat is None:
        raise NotFound("You are not on this assessment's panel.")
    return seat


@transaction.atomic
def score(
    actor: Person, assessment: Assessment, levels: Mapping[int, int],
    notes: Mapping[int, str] | None = None,
) -> list[Score]:  # fmt: skip
    """Record (or change) the assessor's own levels, as the role play goes."""
    seat = _seat(actor, assessment)
    if seat.submitted_at is not None:
        raise Conflict("Your scores are submitted; they no longer change.")
    categories = {c.pk: c for c in assessment.scenario.rubric.categories.all()}
    notes = notes or {}
    for category_id, level in levels.items():
        if category_id not in categories:
            raise Invalid(f"Dimension {category_id} is not in this scenario's rubric.",
                          field="levels")  # fmt: skip
        if not isinstance(level, int) or not 1 <= level <= 5:
            raise Invalid("A level is 1 to 5.", field=f"levels.{category_id}")
    rows = []
    for category_id, level in levels.items():
        row, _ = Score.objects.update_or_create(
            seat=seat, category_id=category_id,
            defaults={"level": level,
                      "note": text(notes.get(category_id, ""), "notes", required=False,
                                   limit=500)},
        )  # fmt: skip
        rows.append(row)
    return rows


@transaction.atomic
def submit(actor: Person, assessment: Assessment) -> Assessment:
    """Final scores; when the last assessor submits, the panel's scores are revealed."""
    seat = _seat(actor, assessment)
    if seat.submitted_at is not None:
        return assessment
    wanted = set(assessment.scenario.rubric.categories.values_list("pk", flat=True))
    scored = set(seat.scores.values_list("category_id", flat=True))
    if wanted - scored:
        raise Invalid("Score every dimension before submitting.", field="levels")
    now = clock.now()
    seat.submitted_at = now
    seat.save(update_fields=["submitted_at"])
    waiting = PanelSeat.objects.filter(assessment=assessment, submitted_at__isnull=True).exists()
    if not waiting:
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.status = AssessmentStatus.REVEALED
        assessment.revealed_at = now
        assessment.save(update_fields=["status", "revealed_at"])
        if assessment.trainee_id is not None:
            complete_by_score(assessment)
    return assessment


def _require_panel_or_manager(actor: Person, assessment: Assessment, doing: str) -> None:
    scope = scope_of(actor)
    if scope.sees_everything:
        return
    if not PanelSeat.objects.filter(assessment=assessment, assessor=actor).exists():
        raise NotFound("There is no such assessment of yours.")
    del doing


@transaction.atomic
def give_feedback(actor: Person, assessment: Assessment, feedback: str) -> Assessment:
    """Written feedback after the reveal, before a second attempt."""
    _require_panel_or_manager(actor, assessment, "give feedback")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.REVEALED:
        raise Conflict("Feedback follows the reveal of every assessor's scores.")
    assessment.feedback = text(feedback, "feedback")
    assessment.save(update_fields=["feedback"])
    return assessment


@transaction.atomic
def decide(actor: Person, candidate: Candidate, *, outcome: str, reasons: str) -> Decision:
    """The panel's decision, with its reasons."""
    scope = scope_of(actor)
    on_panel = PanelSeat.objects.filter(assessment__candidate=candidate, assessor=actor).exists()
    if not (scope.sees_everything or on_panel):
        raise NotFound("There is no such candidate of yours.")
    if outcome not in Outcome.values:
        raise Invalid("Hire, no hire or second interview.", field="outcome")
    if not Assessment.objects.filter(
        candidate=candidate, status=AssessmentStatus.REVEALED
    ).exists():
        raise Conflict("Decide after the panel's scores are revealed.")
    decision = Decision.objects.create(
        candidate=candidate, outcome=outcome, reasons=text(reasons, "reasons"),
        decided_by=actor, decided_at=clock.now(),
    )  # fmt: skip
    stage = Stage.ROLE_PLAY if outcome == Outcome.SECOND_INTERVIEW else Stage.DECIDED
    Candidate.objects.filter(pk=candidate.pk).update(stage=stage)
    return decision


@transaction.atomic
def create_exam(
    actor: Person | None, *, title: str, questions: Sequence[Mapping[str, Any]]
) -> Exam:
    require_manager(scope_of(actor), "write exams")
    if not 1 <= len(questions) <= 50:
        raise Invalid("An exam has 1 to 50 questions.", field="questions")
    exam = Exam.objects.create(title=text(title, "title", limit=200), created_at=clock.now())
    rows = []
    for i, q in enumerate(questions):
        options = q.get("options") or []
        if not 2 <= len(options) <= 8:
            raise Invalid("A question has 2 to 8 options.", field=f"questions.{i}.options")
        cleaned = []
        for j, o in enumerate(options):
            points = o.get("score")
            if not isinstance(points, int) or not 0 <= points <= 10:
                raise Invalid("Each option scores 0 to 10.",
                              field=f"questions.{i}.options.{j}.score")  # fmt: skip
            cleaned.append({"text": text(o.get("text", ""), f"questions.{i}.options.{j}.text",
                                         limit=500), "score": points})  # fmt: skip
        rows.append(ExamQuestion(exam=exam, position=i, options=cleaned,
                                 text=text(q.get("text", ""), f"questions.{i}.text")))  # fmt: skip
    ExamQuestion.objects.bulk_create(rows)
    return exam


@transaction.atomic
def record_exam(
    actor: Person | None, exam: Exam, candidate: Candidate, answers: Sequence[int]
) -> ExamAttempt:
    """The candidate's chosen option per question (recorded by staff: candidates never
    sign in); the score is the points won over the points possible, 0–100."""
    require_manager(scope_of(actor), "record exams")
    questions = list(exam.questions.all())
    if len(answers) != len(questions):
        raise Invalid("Answer every question.", field="answers")
    won = possible = 0
    for i, (q, a) in enumerate(zip(questions, answers, strict=True)):
        if not isinstance(a, int) or not 0 <= a < len(q.options):
            raise Invalid("Not one of the question's options.", field=f"answers.{i}")
        won += q.options[a]["score"]
        possible += max(o["score"] for o in q.options)
    attempt = ExamAttempt.objects.create(
        exam=exam, candidate=candidate, answers=list(answers),
        score=round(100 * won / possible, 1) if possible else 0.0, taken_at=clock.now(),
    )  # fmt: skip
    Candidate.objects.filter(pk=candidate.pk, stage=Stage.APPLIED).update(stage=Stage.EXAM)
    return attempt


@transaction.atomic
def record_hire(actor: Person | None, candidate: Candidate, person: Person) -> Candidate:
    require_manager(scope_of(actor), "record a hire")
    if not person.staff_role:
        raise Invalid("The hire is a staff member.", field="person")
    candidate.hired_as = person
    candidate.save(update_fields=["hired_as"])
    return candidate
