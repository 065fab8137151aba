"""Forms for weighted scorecards (managers): setting one up, and rating at a review.
The rules (weights add up to 100, a time criterion has a target, …) are the actions'."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from rapport.directory.queries import provider_parties
from rapport.scorecards.exports import LABELS
from rapport.scorecards.models import Criterion
from rapport.scorecards.periods import KINDS
from rapport.scorecards.weighted import SCORABLE

CRITERIA_ROWS = 8  # blank rows are left out; eight is more than any review uses
METRIC_CHOICES = [("", "—"), (Criterion.MANUAL, "Rated at review")] + [
    (metric, LABELS.get(metric, metric)) for metric in SCORABLE
]
STANDING = re.compile(r"^\s*(?P<name>.*?\S)\s+(?P<min>\d+(?:\.\d+)?)\s*$")


def provider_choices() -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.name} ({p.get_kind_display()})") for p in provider_parties()]


class WeightedForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    provider = forms.TypedChoiceField(coerce=int, label="Provider measured")
    period_kind = forms.ChoiceField(choices=[(k, k.capitalize()) for k in KINDS], label="Period")
    history = forms.IntegerField(
        min_value=1, max_value=24, initial=4, label="Periods in the overall score"
    )
    standings = forms.CharField(
        max_length=500,
        initial="Very poor 0; Poor 40; Average 60; Excellent 80",
        label="Standings",
        help_text="Each a name and the lowest score (0–100) that reaches it, separated by ;",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices()  # type: ignore[attr-defined]
        for i in range(CRITERIA_ROWS):
            self.fields[f"c{i}_name"] = forms.CharField(max_length=200, required=False)
            self.fields[f"c{i}_metric"] = forms.ChoiceField(choices=METRIC_CHOICES, required=False)
            self.fields[f"c{i}_weight"] = forms.IntegerField(required=False)
            self.fields[f"c{i}_max_score"] = forms.IntegerField(required=False, initial=10)
            self.fields[f"c{i}_target"] = forms.FloatField(required=False)

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("name", "provider", "period_kind", "history", "standings")]

    def rows(self) -> list[list[forms.BoundField]]:
        names = ("name", "metric", "weight", "max_score", "target")
        return [[self[f"c{i}_{n}"] for n in names] for i in range(CRITERIA_ROWS)]

    def clean_standings(self) -> list[dict[str, Any]]:
        out = []
        for part in str(self.cleaned_data["standings"]).split(";"):
            if not part.strip():
                continue
            match = STANDING.match(part)
            if match is None:
                raise forms.ValidationError(f"“{part.strip()}” is not a name and a score.")
            low = float(match["min"])
            out.append({"name": match["name"], "min": int(low) if low.is_integer() else low})
        return out

    def criteria(self) -> list[dict[str, Any]]:
        """The filled-in rows (a row with neither a name nor a metric is left out)."""
        data = self.cleaned_data
        out = []
        for i in range(CRITERIA_ROWS):
            name, metric = data.get(f"c{i}_name") or "", data.get(f"c{i}_metric") or ""
            if not name and not metric:
                continue
            out.append({
                "name": name, "metric": metric, "weight": data.get(f"c{i}_weight"),
                "max_score": data.get(f"c{i}_max_score") or 10,
                "target": data.get(f"c{i}_target"),
            })  # fmt: skip
        return out


class RatingForm(forms.Form):
    criterion = forms.TypedChoiceField(coerce=int)
    score = forms.FloatField(min_value=0)
    note = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in criteria if c.metric == Criterion.MANUAL
        ]
