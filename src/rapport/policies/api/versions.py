"""A document's versions: read, edit, redline, and the way to publication (submit,
the customer-factor review, sign-offs, approve, publish)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from rapport.core.schemas import Input, PersonRef
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries, render
from rapport.policies.api._common import (
    caller,
    editable_document,
    path_document,
    path_version,
    router,
)
from rapport.policies.models import (
    CheckQuestion,
    Version,
)


class VersionOut(Schema):
    number: int
    title: str
    status: str
    change_summary: str
    author: PersonRef
    must_read: bool
    returned_reason: str
    created_at: datetime
    published_at: datetime | None
    proposal: int | None


class ReviewOut(Schema):
    id: int
    reviewer: PersonRef
    answer: str
    customer_view: str
    employee_view: str
    company_view: str
    partner_view: str
    autonomy: str
    case_by_case: bool
    new_hire_can_follow: bool | None
    created_at: datetime


class SignOffOut(Schema):
    id: int
    position: int
    label: str
    person: PersonRef
    decision: str
    comment: str
    created_at: datetime


class QuestionOut(Schema):
    text: str
    options: list[str]
    correct: int | None = Field(
        default=None, description="Index of the right option (to the document's editors only)"
    )


class VersionDetail(VersionOut):
    body_md: str
    body_html: str
    reviews: list[ReviewOut]
    signoffs: list[SignOffOut]
    questions: list[QuestionOut]
    gate: str | None = Field(description="Why it may not be approved yet (null: it may)")


def version_out(v: Version) -> dict[str, Any]:
    return {
        "number": v.number, "title": v.title, "status": v.status,
        "change_summary": v.change_summary,
        "author": {"id": v.author_id, "name": v.author.display_name}, "must_read": v.must_read,
        "returned_reason": v.returned_reason, "created_at": v.created_at,
        "published_at": v.published_at, "proposal": v.proposal_id,
    }  # fmt: skip


def question_out(q: CheckQuestion, *, editor: bool) -> dict[str, Any]:
    return {"text": q.text, "options": q.options, "correct": q.correct if editor else None}


def version_detail(v: Version, *, staff: bool, editor: bool = False) -> dict[str, Any]:
    reviews = list(v.reviews.select_related("reviewer")) if staff else []
    signoffs = list(v.signoffs.select_related("person", "approver")) if staff else []
    return {
        **version_out(v), "body_md": v.body_md, "body_html": v.body_html,
        "reviews": [{
            "id": r.pk, "reviewer": {"id": r.reviewer_id, "name": r.reviewer.display_name},
            "answer": r.answer, "customer_view": r.customer_view,
            "employee_view": r.employee_view, "company_view": r.company_view,
            "partner_view": r.partner_view, "autonomy": r.autonomy,
            "case_by_case": r.case_by_case, "new_hire_can_follow": r.new_hire_can_follow,
            "created_at": r.created_at} for r in reviews],
        "signoffs": [{
            "id": s.pk, "position": s.approver.position, "label": s.approver.label,
            "person": {"id": s.person_id, "name": s.person.display_name},
            "decision": s.decision, "comment": s.comment, "created_at": s.created_at}
            for s in signoffs],
        "questions": [question_out(q, editor=editor) for q in v.questions.all()],
        "gate": actions.gate_problem(v) if staff else None,
    }  # fmt: skip


@router.get("/documents/{document_id}/versions", response=list[VersionOut],
            summary="The versions of a document you may see, newest first")  # fmt: skip
def list_versions(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    return [version_out(v) for v in queries.visible_versions(scope, doc)]


@router.get("/documents/{document_id}/versions/{version_number}", response=VersionDetail,
            summary="One version with its text, reviews, sign-offs and check")  # fmt: skip
def get_version(request: HttpRequest, document_id: int, version_number: int) -> dict[str, Any]:
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    version = queries.get_version(scope, doc, version_number)
    return version_detail(version, staff=scope.is_staff, editor=queries.may_edit(scope, doc))


class EditIn(Input):
    body: str = Field(max_length=200_000, description="Markdown")
    change_summary: str = Field(max_length=500)
    title: str | None = Field(default=None, max_length=200)


@router.post("/documents/{document_id}/versions", response={201: VersionOut},
             summary="Edit: a new draft version (or the current draft changed)")  # fmt: skip
def edit(request: HttpRequest, document_id: int, payload: EditIn) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    version = actions.edit(
        me, path_document(request, document_id), body=payload.body,
        change_summary=payload.change_summary, title=payload.title,
    )  # fmt: skip
    return HttpStatus(201, version_out(version))


class RedlineParams(Schema):
    base: int | None = Field(
        default=None, ge=1, le=100_000, alias="from", description="Default: the one before `to`"
    )
    to: int | None = Field(default=None, ge=1, le=100_000, description="Default: the newest")


class RedlineOut(Schema):
    base: int = Field(serialization_alias="from")
    to: int
    html: str = Field(description="The newer text with <del> and <ins> marking the changes")


@router.get("/documents/{document_id}/redline", response=RedlineOut, by_alias=True,
            summary="Word-level redline between two versions")  # fmt: skip
def redline(request: HttpRequest, document_id: int, params: Query[RedlineParams]) -> dict[str, Any]:
    scope = scope_for(caller(request))
    doc = queries.get_document(scope, document_id)
    newest = queries.visible_versions(scope, doc).first()
    to = params.to or (newest.number if newest else 1)
    new = queries.get_version(scope, doc, to)
    old = queries.get_version(scope, doc, params.base or max(1, to - 1))
    return {"base": old.number, "to": new.number, "html": render.redline(old.body_md, new.body_md)}


class TransitionIn(Input):
    action: Literal["submit", "approve", "publish"]
    must_read: bool = False
    read_within_days: int = Field(default=14, ge=1, le=365)


@router.post("/documents/{document_id}/versions/{version_number}/transition", response=VersionOut,
             summary="Send to review, approve (no sign-off list) or publish")  # fmt: skip
def transition(
    request: HttpRequest, document_id: int, version_number: int, payload: TransitionIn
) -> dict[str, Any]:
    me = caller(request)
    version = path_version(request, document_id, version_number)
    if payload.action == "submit":
        version = actions.submit(me, version)
    elif payload.action == "approve":
        version = actions.approve(me, version)
    else:
        version = actions.publish(
            me, version, must_read=payload.must_read, read_within_days=payload.read_within_days
        )
    version.refresh_from_db()
    return version_out(version)


class QuestionIn(Schema):
    text: str = Field(max_length=300)
    options: list[str] = Field(min_length=2, max_length=6)
    correct: int = Field(ge=0, le=5, description="Index of the right option")


class CheckIn(Input):
    questions: list[QuestionIn] = Field(
        max_length=5, description="All of the check, in order; empty: no check"
    )


@router.put("/documents/{document_id}/versions/{version_number}/check",
            response=list[QuestionOut],
            summary="The must-read check: up to 5 questions (owner, drafts)")  # fmt: skip
def set_check(
    request: HttpRequest, document_id: int, version_number: int, payload: CheckIn
) -> list[dict[str, Any]]:
    editable_document(request, document_id)
    version = path_version(request, document_id, version_number)
    rows = actions.set_check(caller(request), version, [q.dict() for q in payload.questions])
    return [question_out(q, editor=True) for q in rows]


class ReviewIn(Input):
    answer: Literal["yes", "partly", "no"]
    customer_view: str = Field(default="", max_length=20_000)
    employee_view: str = Field(default="", max_length=20_000)
    company_view: str = Field(default="", max_length=20_000)
    partner_view: str = Field(default="", max_length=20_000)
    autonomy: str = Field(default="", max_length=20_000)
    case_by_case: bool = False
    new_hire_can_follow: bool | None = None


@router.post(
    "/documents/{document_id}/versions/{version_number}/reviews",
    response={201: ReviewOut},
    summary="Record the customer-factor review",
)
def review(
    request: HttpRequest, document_id: int, version_number: int, payload: ReviewIn
) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    version = path_version(request, document_id, version_number)
    r = actions.record_review(me, version, **payload.dict())
    return HttpStatus(201, {
        "id": r.pk, "reviewer": {"id": me.pk, "name": me.display_name}, "answer": r.answer,
        "customer_view": r.customer_view, "employee_view": r.employee_view,
        "company_view": r.company_view, "partner_view": r.partner_view, "autonomy": r.autonomy,
        "case_by_case": r.case_by_case, "new_hire_can_follow": r.new_hire_can_follow,
        "created_at": r.created_at,
    })  # fmt: skip


class SignOffIn(Input):
    decision: Literal["approved", "rejected"]
    comment: str = Field(default="", max_length=20_000)


@router.post(
    "/documents/{document_id}/versions/{version_number}/signoffs",
    response={201: SignOffOut},
    summary="Sign off as the next approver in order",
)
def sign_off(
    request: HttpRequest, document_id: int, version_number: int, payload: SignOffIn
) -> HttpStatus[dict[str, Any]]:
    me = caller(request)
    version = path_version(request, document_id, version_number)
    s = actions.sign_off(me, version, decision=payload.decision, comment=payload.comment)
    return HttpStatus(201, {
        "id": s.pk, "position": s.approver.position, "label": s.approver.label,
        "person": {"id": me.pk, "name": me.display_name}, "decision": s.decision,
        "comment": s.comment, "created_at": s.created_at,
    })  # fmt: skip
