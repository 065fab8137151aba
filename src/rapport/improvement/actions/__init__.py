"""The only writers of the improvement app, one function per use case."""

from __future__ import annotations

from rapport.improvement.actions.checks import run_due_checks
from rapport.improvement.actions.corrective import cancel, complete, confirm, propose_for, reassign
from rapport.improvement.actions.opening import (
    assign,
    flag_complaint,
    flag_watermelons,
    open_review,
    set_preferences,
    set_reviewers,
    set_rule,
)
from rapport.improvement.actions.reviews import (
    agree_personnel,
    close,
    close_problem,
    create_problem,
    group,
    record,
    reopen_problem,
)

__all__ = [
    "agree_personnel",
    "assign",
    "cancel",
    "close",
    "close_problem",
    "complete",
    "confirm",
    "create_problem",
    "flag_complaint",
    "flag_watermelons",
    "group",
    "open_review",
    "propose_for",
    "reassign",
    "record",
    "reopen_problem",
    "run_due_checks",
    "set_preferences",
    "set_reviewers",
    "set_rule",
]
