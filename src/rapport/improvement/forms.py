"""Forms of the improvement pages; every write still goes through `improvement.actions`."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.directory.models import Party, PartyKind, Person
from rapport.improvement.models import Cause, Trigger
from rapport.improvement.pareto import DIMENSIONS
from rapport.policies.models import Document, Kind

MAX_TEXT = 5000


def providers() -> Any:
    return Party.objects.filter(
        kind__in=(PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR)
    ).order_by("name")


def staff() -> Any:
    return Person.objects.exclude(staff_role="").filter(is_active=True).order_by("full_name")


class ReviewForm(forms.Form):
    cause = forms.ChoiceField(choices=[("", "Not decided yet"), *Cause.choices], required=False)
    cause_reason = forms.CharField(
        required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ModelChoiceField(queryset=Party.objects.none(), required=False)
    why1 = forms.CharField(required=False, max_length=500)
    why2 = forms.CharField(required=False, max_length=500)
    why3 = forms.CharField(required=False, max_length=500)
    why4 = forms.CharField(required=False, max_length=500)
    why5 = forms.CharField(required=False, max_length=500)
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = providers()  # type: ignore[attr-defined]
        self.fields["documents"].queryset = documents.filter(  # type: ignore[attr-defined]
            kind__in=(Kind.POLICY, Kind.PROCEDURE)
        ).order_by("title")

    @property
    def whys(self) -> list[str]:
        return [self.cleaned_data.get(f"why{i}", "") for i in range(1, 6)]


class ProblemForm(forms.Form):
    title = forms.CharField(max_length=200)
    cause = forms.ChoiceField(choices=[("", "Not decided yet"), *Cause.choices], required=False)


class CloseProblemForm(forms.Form):
    cause = forms.ChoiceField(choices=[("", "Choose a cause"), *Cause.choices], required=False)


class ConfirmForm(forms.Form):
    title = forms.CharField(max_length=200)
    what_is_wrong = forms.CharField(
        required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    why = forms.CharField(
        required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    detail = forms.CharField(
        required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff()  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500)


class PeriodForm(forms.Form):
    dimension = forms.ChoiceField(choices=[(d, d.title()) for d in DIMENSIONS], required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RuleForm(forms.Form):
    trigger = forms.ChoiceField(choices=Trigger.choices)
    enabled = forms.BooleanField(required=False)
    share = forms.IntegerField(min_value=1, max_value=100)
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class ReviewersForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Party.objects.none())
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers()  # type: ignore[attr-defined]
        self.fields["people"].queryset = staff()  # type: ignore[attr-defined]


class PreferencesForm(forms.Form):
    word_of_mouth_factor = forms.IntegerField(min_value=1, max_value=100)
    effectiveness_days = forms.IntegerField(min_value=7, max_value=365)
