"""The people app's models, one module per area (models/<area>.py).

Rubrics are shared: role-play assessments (hiring and training) and quality reviews
of conversations score against the same Rubric and RubricCategory rows.
"""

from __future__ import annotations

from rapport.people.models.rubrics import Purpose, Rubric, RubricCategory, Scale
from rapport.people.models.training import (
    Assessment,
    AssessmentStatus,
    Assignment,
    Candidate,
    Decision,
    Evidence,
    Exam,
    ExamAttempt,
    ExamQuestion,
    ItemKind,
    Outcome,
    PanelSeat,
    PlanItem,
    PlanKind,
    Scenario,
    ScenarioChannel,
    ScenarioStep,
    Score,
    Stage,
    Temperament,
    TrainingPlan,
    Trigger,
)  # fmt: skip

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "Assignment",
    "Candidate",
    "Decision",
    "Evidence",
    "Exam",
    "ExamAttempt",
    "ExamQuestion",
    "ItemKind",
    "Outcome",
    "PanelSeat",
    "PlanItem",
    "PlanKind",
    "Purpose",
    "Rubric",
    "RubricCategory",
    "Scale",
    "Scenario",
    "ScenarioChannel",
    "ScenarioStep",
    "Score",
    "Stage",
    "Temperament",
    "TrainingPlan",
    "Trigger",
]  # fmt: skip
