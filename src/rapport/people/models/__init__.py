"""The people app's models, one module per area (models/<area>.py).

Rubrics are shared: role-play assessments (hiring and training) and quality reviews
of conversations score against the same Rubric and RubricCategory rows.
"""

from __future__ import annotations

from rapport.people.models.rubrics import Purpose, Rubric, RubricCategory, Scale

__all__ = ["Purpose", "Rubric", "RubricCategory", "Scale"]
