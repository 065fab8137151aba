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

__all__ = [
    "CalibrationSession",
    "CompanyValue",
    "Compliment",
    "Dispute",
    "Kudos",
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
]  # fmt: skip
