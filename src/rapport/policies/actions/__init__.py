"""The only writers of the policies app, one module per use case."""

from __future__ import annotations

from rapport.policies.actions.documents import (
    create_document,
    edit,
    mark_outside_customer_service,
    retire,
    set_approvers,
    set_audience,
    start_draft,
)
from rapport.policies.actions.lifecycle import (
    acknowledge,
    approve,
    gate_problem,
    publish,
    reconfirm,
    record_review,
    set_check,
    sign_off,
    submit,
)
from rapport.policies.actions.portal import opened_from_new_request, raised_request, vote
from rapport.policies.actions.proposals import accept, decline, file_proposal, merge
from rapport.policies.actions.work import (
    cite,
    decide_exception,
    draft_article_from_ticket,
    record_exception,
)

__all__ = [
    "accept", "acknowledge", "approve", "cite", "create_document", "decide_exception",
    "decline", "draft_article_from_ticket", "edit", "file_proposal", "gate_problem",
    "mark_outside_customer_service", "merge", "opened_from_new_request", "publish",
    "raised_request", "reconfirm", "record_exception", "record_review", "retire",
    "set_approvers", "set_audience", "set_check", "sign_off", "start_draft", "submit", "vote",
]  # fmt: skip
