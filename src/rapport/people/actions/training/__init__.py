"""The only writers of the people app's training half, one module per use case."""

from __future__ import annotations

from rapport.people.actions.training.assessments import (
    add_candidate,
    create_exam,
    decide,
    give_feedback,
    record_exam,
    record_hire,
    score,
    start_assessment,
    submit,
)
from rapport.people.actions.training.assignments import (
    acknowledge,
    assign_for_quality,
    assign_plan,
    complete_by_score,
    create_plan,
    mark_attended,
    on_corrective_action,
    onboard,
    sweep,
)
from rapport.people.actions.training.rubrics import ensure_hiring_dimensions
from rapport.people.actions.training.scenarios import (
    create_scenario,
    scenario_from_ticket,
    script_from_ticket,
    set_active,
)

__all__ = [
    "acknowledge", "add_candidate", "assign_for_quality", "assign_plan", "complete_by_score",
    "create_exam", "create_plan", "create_scenario", "decide", "ensure_hiring_dimensions",
    "give_feedback", "mark_attended", "on_corrective_action", "onboard", "record_exam",
    "record_hire", "scenario_from_ticket", "score", "script_from_ticket", "set_active",
    "start_assessment", "submit", "sweep",
]  # fmt: skip
