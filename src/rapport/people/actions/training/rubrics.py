"""The built-in hiring dimensions and the checks every dimension passes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Invalid
from rapport.people.actions.training.common import text
from rapport.people.models import Purpose, Rubric, RubricCategory, Scale

HIRING_RUBRIC = "Hiring dimensions"
LEVELS = 5

# Friendly, trainable, competent: one written example per level, lowest first.
BUILT_IN: dict[str, tuple[str, str, list[str]]] = {
    "friendly": ("Friendly", "Warmth and courtesy the customer can hear.", [
        "Curt or cold; the customer feels a nuisance.",
        "Polite but flat; reads the script.",
        "Greets warmly and stays courteous when pushed.",
        "Uses the customer's name, acknowledges their feelings.",
        "Puts the customer at ease even when the answer is no.",
    ]),
    "trainable": ("Trainable", "Takes in feedback and guidance during the role play.", [
        "Argues with or ignores a hint.",
        "Hears a hint but does not change course.",
        "Changes course when told plainly.",
        "Picks up a hint and applies it at once.",
        "Asks for guidance and improves visibly within the scenario.",
    ]),
    "competent": ("Competent", "Solves the customer's problem correctly.", [
        "Wrong answer or no answer.",
        "Partly right; misses a key step.",
        "Right answer by the procedure, with help.",
        "Right answer by the procedure, unaided.",
        "Right answer, and prevents the next problem.",
    ]),
}  # fmt: skip


@transaction.atomic
def ensure_hiring_dimensions() -> Rubric:
    """The organisation-wide rubric of the three built-in dimensions (idempotent)."""
    rubric = Rubric.objects.filter(
        purpose=Purpose.HIRING, team=None, name=HIRING_RUBRIC, categories__built_in="friendly"
    ).first()
    now = clock.now()
    if rubric is None:
        rubric = Rubric.objects.create(
            name=HIRING_RUBRIC, purpose=Purpose.HIRING, created_at=now, updated_at=now,
            description="Hire friendly, hire trainable, hire competent.",
        )  # fmt: skip
    present = set(rubric.categories.values_list("built_in", flat=True))
    RubricCategory.objects.bulk_create(
        RubricCategory(rubric=rubric, position=i, name=name, description=description,
                       built_in=key, scale=Scale.FIVE, anchors=anchors)
        for i, (key, (name, description, anchors)) in enumerate(BUILT_IN.items())
        if key not in present
    )  # fmt: skip
    return rubric


def clean_dimensions(dimensions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A scenario's own dimensions: a name, five anchors, and a weight of 1 unless a
    reason for another weight is written down."""
    if len(dimensions) > 12:
        raise Invalid("At most 12 dimensions of its own per scenario.", field="dimensions")
    cleaned = []
    for i, d in enumerate(dimensions):
        field = f"dimensions.{i}"
        anchors = [text(a, f"{field}.anchors", limit=300) for a in d.get("anchors") or []]
        if anchors and len(anchors) != LEVELS:
            raise Invalid(f"Write one example for each of the {LEVELS} levels.",
                          field=f"{field}.anchors")  # fmt: skip
        weight = int(d.get("weight") or 1)
        if not 1 <= weight <= 100:
            raise Invalid("A weight is 1 to 100.", field=f"{field}.weight")
        reason = text(d.get("weight_reason", ""), f"{field}.weight_reason", required=False,
                      limit=300)  # fmt: skip
        if weight != 1 and not reason:
            raise Invalid("Weights are equal unless a reason is recorded.",
                          field=f"{field}.weight_reason")  # fmt: skip
        cleaned.append({
            "name": text(d.get("name", ""), f"{field}.name", limit=120),
            "description": text(d.get("description", ""), f"{field}.description",
                                required=False, limit=1000),
            "anchors": anchors, "weight": weight, "weight_reason": reason,
        })  # fmt: skip
    return cleaned


def scenario_rubric(title: str, dimensions: Sequence[Mapping[str, Any]], purpose: str) -> Rubric:
    """A scenario's rubric: copies of the built-in dimensions, then its own."""
    hiring = ensure_hiring_dimensions()
    now = clock.now()
    rubric = Rubric.objects.create(
        name=f"Scenario: {title}"[:120], purpose=purpose, created_at=now, updated_at=now
    )
    rows = [
        RubricCategory(rubric=rubric, position=c.position, name=c.name,
                       description=c.description, built_in=c.built_in, scale=Scale.FIVE,
                       anchors=c.anchors, weight=c.weight, weight_reason=c.weight_reason)
        for c in hiring.categories.all()
    ]  # fmt: skip
    rows += [
        RubricCategory(rubric=rubric, position=10 + i, scale=Scale.FIVE, **d)
        for i, d in enumerate(dimensions)
    ]
    RubricCategory.objects.bulk_create(rows)
    return rubric
