"""The people app's models, one module per area (models/<area>.py).

Rubrics are shared: role-play assessments (hiring and training) and quality reviews
of conversations score against the same Rubric and RubricCategory rows.
"""

from __future__ import annotations

from rapport.people.models.pulse import (
    PulseAnswer,
    PulseComment,
    PulseParticipation,
    PulseReply,
    PulseRound,
    PulseSurvey,
)
from rapport.people.models.quality import (
    CalibrationSession,
    Dispute,
    Rating,
    Review,
    ReviewSharing,
    SampleItem,
)
from rapport.people.models.recognition import CompanyValue, Compliment, Kudos
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
    "CalibrationSession",
    "Candidate",
    "CompanyValue",
    "Compliment",
    "Decision",
    "Dispute",
    "Evidence",
    "Exam",
    "ExamAttempt",
    "ExamQuestion",
    "ItemKind",
    "Kudos",
    "Outcome",
    "PanelSeat",
    "PlanItem",
    "PlanKind",
    "PulseAnswer",
    "PulseComment",
    "PulseParticipation",
    "PulseReply",
    "PulseRound",
    "PulseSurvey",
    "Purpose",
    "Rating",
    "Review",
    "ReviewSharing",
    "Rubric",
    "RubricCategory",
    "SampleItem",
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
