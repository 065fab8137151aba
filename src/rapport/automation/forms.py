"""Forms of the automation pages. Conditions and actions are edited as JSON (the same
shapes the API takes), with the reference of fields and actions beside the form."""

from __future__ import annotations

from django import forms

from rapport.automation.models import Visibility


class RuleForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip
    conditions = forms.JSONField(widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}))
    actions = forms.JSONField(widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}))
    max_per_hour = forms.IntegerField(
        min_value=1, max_value=100, initial=3, label="At most this many firings per ticket and hour"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")


SECRET_HELP = (
    "At least 16 characters, kept by you to verify signatures; "
    "left empty, an existing webhook keeps its own."
)


class WebhookForm(forms.Form):
    name = forms.CharField(max_length=120)
    url = forms.URLField(max_length=500, assume_scheme="https", label="Target URL")
    kinds = forms.CharField(max_length=1000, label="Event kinds (comma-separated)")
    secret = forms.CharField(max_length=200, min_length=16, required=False,
                             widget=forms.PasswordInput(render_value=False),
                             help_text=SECRET_HELP)  # fmt: skip
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def clean_kinds(self) -> list[str]:
        return [k.strip() for k in self.cleaned_data["kinds"].split(",") if k.strip()]


class MacroForm(forms.Form):
    title = forms.CharField(max_length=120)
    shortcut = forms.CharField(max_length=40, required=False)
    body = forms.CharField(max_length=20_000, required=False, widget=forms.Textarea(
        attrs={"rows": 6}), help_text="Placeholders: {{ requester.first_name }}, "
        "{{ ticket.number }}, {{ ticket.due }}, {{ agent.name }} …")  # fmt: skip
    actions = forms.JSONField(
        required=False, initial=list,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )  # fmt: skip
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PERSONAL)
    team = forms.IntegerField(required=False, min_value=1, max_value=2**53)
    document = forms.IntegerField(required=False, min_value=1, max_value=2**53,
                                  label="Procedure it follows (document id)")  # fmt: skip
