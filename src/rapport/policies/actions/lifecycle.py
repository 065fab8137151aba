"""Draft → in review → approved → published: the customer-factor review, ordered
sign-offs, publishing (with must-read tasks) and the periodic review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person
from rapport.policies import queries
from rapport.policies.actions._common import add_months, require_editor, scope_of, text
from rapport.policies.actions.documents import _mirror
from rapport.policies.models import (
    Answer,
    CheckQuestion,
    Decision,
    Document,
    Kind,
    ReadTask,
    Reconfirmation,
    Review,
    SignOff,
    Status,
    Version,
)

MAX_QUESTIONS = 5
MAX_OPTIONS = 6
REVIEWED_KINDS = (Kind.POLICY, Kind.PROCEDURE)


def _lock(version: Version) -> Version:
    return Version.objects.select_for_update().select_related("document__team").get(pk=version.pk)


@transaction.atomic
def submit(actor: Person | None, version: Version) -> Version:
    """Send a draft to review: reviewers record the customer factor, approvers sign."""
    version = _lock(version)
    require_editor(scope_of(actor), version.document, "send it to review")
    if version.status != Status.DRAFT:
        raise Conflict("Only a draft can be sent to review.")
    version.status = Status.IN_REVIEW
    version.submitted_at = clock.now()
    version.returned_reason = ""
    version.save(update_fields=["status", "submitted_at", "returned_reason"])
    _mirror(version.document, version)
    return version


@transaction.atomic
def record_review(
    actor: Person,
    version: Version,
    *,
    answer: str,
    customer_view: str = "",
    employee_view: str = "",
    company_view: str = "",
    partner_view: str = "",
    autonomy: str = "",
    case_by_case: bool = False,
    new_hire_can_follow: bool | None = None,
) -> Review:
    """The customer-factor review. Policies: the seed question with reasoning from the
    customer's, the front line's, the company's and partners' standpoints, the front
    line's autonomy and room for case-by-case review. Procedures, lighter: does it
    help the customer, and could a new hire follow each step?"""
    version = _lock(version)
    document = version.document
    scope = scope_of(actor)
    if not queries.may_see_drafts(scope, document):
        raise NotFound(f"There is no document {document.pk} you can see.")
    if document.kind not in REVIEWED_KINDS:
        raise Invalid("Articles have no customer-factor review.", field="answer")
    if version.status != Status.IN_REVIEW:
        raise Conflict("Only a version in review can be reviewed.")
    if version.author_id == actor.pk:
        raise PermissionDenied("A reviewer other than the author must review it.")
    if answer not in Answer.values:
        raise Invalid("Answer yes, partly or no.", field="answer")
    views: dict[str, Any] = {
        "customer_view": text(customer_view, "customer_view", required=False),
        "employee_view": text(employee_view, "employee_view", required=False),
        "company_view": text(company_view, "company_view", required=False),
        "partner_view": text(partner_view, "partner_view", required=False),
    }
    if document.kind == Kind.POLICY:
        for field in ("customer_view", "employee_view", "company_view", "partner_view"):
            views[field] = text(views[field], field)
        views["autonomy"] = text(autonomy, "autonomy")
        views["case_by_case"] = case_by_case
    else:
        views["customer_view"] = text(views["customer_view"], "customer_view")
        if new_hire_can_follow is None:
            raise Invalid("Could a new hire follow each step?", field="new_hire_can_follow")
        views["new_hire_can_follow"] = new_hire_can_follow
        views["autonomy"] = text(autonomy, "autonomy", required=False)
    return Review.objects.create(
        version=version, reviewer=actor, answer=answer, created_at=clock.now(), **views
    )


def gate_problem(version: Version) -> str | None:
    """Why the version may not be approved yet (None: it may). The latest review by
    someone other than the author counts."""
    document = version.document
    if document.kind not in REVIEWED_KINDS:
        return None
    review = (
        version.reviews.exclude(reviewer_id=version.author_id)
        .order_by("-created_at", "-id")
        .first()
    )
    if review is None:
        return "A customer-factor review by someone other than the author is required first."
    if review.answer == Answer.NO and not document.outside_customer_service:
        return (
            "The customer-factor review answered no: the document does not let staff act "
            "for the customer. Change it, or mark it outside customer service with a reason."
        )
    if document.kind == Kind.PROCEDURE and review.new_hire_can_follow is False:
        return "The review found a new hire could not follow the steps."
    return None


@transaction.atomic
def sign_off(actor: Person, version: Version, *, decision: str, comment: str = "") -> SignOff:
    """The next approver in order signs. A rejection returns the version to draft with
    the reason; the last approval makes it approved."""
    version = _lock(version)
    document = version.document
    scope = scope_of(actor)
    if not queries.may_see_drafts(scope, document):
        raise NotFound(f"There is no document {document.pk} you can see.")
    if version.status != Status.IN_REVIEW:
        raise Conflict("Only a version in review can be signed off.")
    if decision not in Decision.values:
        raise Invalid("Decide approved or rejected.", field="decision")
    comment = text(comment, "comment", required=decision == Decision.REJECTED)
    if decision == Decision.APPROVED:
        problem = gate_problem(version)
        if problem:
            raise Invalid(problem, field="review")
    steps = list(document.approvers.all())
    done = set(
        version.signoffs.filter(decision=Decision.APPROVED, created_at__gte=version.submitted_at)
        .values_list("approver_id", flat=True)
    )  # fmt: skip
    pending = [s for s in steps if s.pk not in done]
    if not pending:
        raise Conflict("Every sign-off is in; publish or approve it.")
    step = pending[0]
    if step.person_id != actor.pk:
        raise PermissionDenied(f"The next sign-off is {step.person.display_name}'s.")
    now = clock.now()
    signoff = SignOff.objects.create(
        version=version, approver=step, person=actor, decision=decision, comment=comment,
        created_at=now,
    )  # fmt: skip
    if decision == Decision.REJECTED:
        version.status = Status.DRAFT
        version.returned_reason = comment
        version.save(update_fields=["status", "returned_reason"])
    elif len(pending) == 1:
        version.status = Status.APPROVED
        version.save(update_fields=["status"])
    _mirror(document, version)
    return signoff


@transaction.atomic
def approve(actor: Person | None, version: Version) -> Version:
    """Approve a version whose document has no sign-off list (its owner decides)."""
    version = _lock(version)
    require_editor(scope_of(actor), version.document, "approve it")
    if version.status != Status.IN_REVIEW:
        raise Conflict("Only a version in review can be approved.")
    if version.document.approvers.exists():
        raise Conflict("This document is approved by its sign-offs.")
    problem = gate_problem(version)
    if problem:
        raise Invalid(problem, field="review")
    version.status = Status.APPROVED
    version.save(update_fields=["status"])
    _mirror(version.document, version)
    return version


@transaction.atomic
def set_check(
    actor: Person | None, version: Version, questions: Sequence[dict[str, Any]]
) -> list[CheckQuestion]:
    """The short check a reader passes to acknowledge: up to five multiple-choice questions
    ({"text", "options": [...], "correct": index})."""
    version = _lock(version)
    require_editor(scope_of(actor), version.document, "set the check")
    if version.status != Status.DRAFT:
        raise Conflict("The check can change only while the version is a draft.")
    if len(questions) > MAX_QUESTIONS:
        raise Invalid(f"At most {MAX_QUESTIONS} questions.", field="questions")
    rows = []
    for i, q in enumerate(questions, start=1):
        options = [text(str(o), "questions", limit=200) for o in q.get("options", [])]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise Invalid(f"Question {i} needs 2 to {MAX_OPTIONS} options.", field="questions")
        correct = q.get("correct")
        if not isinstance(correct, int) or not 0 <= correct < len(options):
            raise Invalid(f"Question {i}: the right answer is not one of its options.",
                          field="questions")  # fmt: skip
        rows.append(CheckQuestion(
            version=version, position=i, text=text(str(q.get("text", "")), "questions", limit=300),
            options=options, correct=correct,
        ))  # fmt: skip
    version.questions.all().delete()
    return CheckQuestion.objects.bulk_create(rows)


@transaction.atomic
def publish(
    actor: Person | None,
    version: Version,
    *,
    must_read: bool = False,
    read_within_days: int = 14,
) -> Version:
    """Publish an approved version (articles may skip review): it becomes the one readers
    see and never changes; the one before it is superseded. A must-read version gives
    everyone in the audience a read task."""
    version = _lock(version)
    document = version.document
    require_editor(scope_of(actor), document, "publish it")
    allowed = (Status.APPROVED,) if document.kind in REVIEWED_KINDS else (
        Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)  # fmt: skip
    if version.status not in allowed:
        raise Conflict("Only an approved version can be published.")
    if not 1 <= read_within_days <= 365:
        raise Invalid("Read within 1 to 365 days.", field="read_within_days")
    now = clock.now()
    previous = document.published_id
    if previous:
        Version.objects.filter(pk=previous).update(status=Status.RETIRED)
        # A superseded version's open reads are replaced by the new version's.
        ReadTask.objects.filter(version_id=previous, acknowledged_at__isnull=True).delete()
    version.status = Status.PUBLISHED
    version.published_at = now
    version.must_read = must_read
    version.read_within_days = read_within_days
    version.save(update_fields=["status", "published_at", "must_read", "read_within_days"])
    document.published = version
    document.next_review_at = add_months(now, document.review_months)
    document.save(update_fields=["published", "next_review_at"])
    _mirror(document, version)
    from rapport.policies.actions.documents import reindex

    reindex(document, version)
    if must_read:
        assign_reads(version, now, now + timedelta(days=read_within_days))
    return version


def audience_ids(document: Document) -> list[int]:
    """The active staff a document addresses."""
    staff = Person.objects.filter(is_active=True).exclude(staff_role="")
    if not document.all_staff:
        teams = list(document.audience_teams.values_list("pk", flat=True))
        staff = staff.filter(
            Q(staff_role__in=document.audience_roles) | Q(team_memberships__team_id__in=teams)
        )
    return sorted(set(staff.values_list("pk", flat=True)))


def assign_reads(version: Version, now: Any, due: Any) -> int:
    """Every read task in one batch of INSERTs (5,000 staff within the bench's 2 s)."""
    people = audience_ids(version.document)
    ReadTask.objects.bulk_create(
        (ReadTask(version=version, person_id=p, assigned_at=now, due_at=due) for p in people),
        batch_size=500,
        ignore_conflicts=True,
    )
    return len(people)


@transaction.atomic
def acknowledge(actor: Person, version: Version, answers: Sequence[int] = ()) -> ReadTask:
    """Confirm reading this version (another version asks again); with a check, every
    answer must be right."""
    task = ReadTask.objects.select_for_update().filter(version=version, person=actor).first()
    if task is None:
        raise NotFound("You have no read task for this version.")
    if task.acknowledged_at is not None:
        return task
    questions = list(version.questions.all())
    if questions:
        if len(answers) != len(questions):
            raise Invalid("Answer every question of the check.", field="answers")
        wrong = sum(1 for q, a in zip(questions, answers, strict=True) if q.correct != a)
        if wrong:
            raise Invalid(
                f"{wrong} of {len(questions)} answers are not right; read it again and retry.",
                field="answers",
            )
    task.acknowledged_at = clock.now()
    task.save(update_fields=["acknowledged_at"])
    return task


@transaction.atomic
def reconfirm(actor: Person | None, document: Document, *, note: str = "") -> Reconfirmation:
    """The periodic review found the published version still right: recorded, and the
    next review is due an interval later."""
    require_editor(scope_of(actor), document, "review it")
    if document.published_id is None or document.status == Status.RETIRED:
        raise Conflict("Only a published document is reviewed periodically.")
    now = clock.now()
    confirmation = Reconfirmation.objects.create(
        document=document, version_id=document.published_id, person=actor or document.owner,
        note=text(note, "note", required=False), created_at=now,
    )  # fmt: skip
    document.next_review_at = add_months(now, document.review_months)
    document.save(update_fields=["next_review_at"])
    return confirmation
