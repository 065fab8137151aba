"""The survey settings form of an agreement (admins); the rules live in `actions.configure`."""

from __future__ import annotations

from django import forms

from rapport.surveys.models import SurveySettings


class SurveySettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send a survey when a ticket is solved")
    csat = forms.BooleanField(required=False, label="Satisfaction (CSAT, 1–5)")
    ces = forms.BooleanField(required=False, label="Effort (CES 2.0, 1–7)")
    nps = forms.BooleanField(required=False, label="Recommendation (NPS, 0–10)")
    ask_comment = forms.BooleanField(required=False, label="Invite a comment")
    delay_minutes = forms.IntegerField(
        min_value=0,
        max_value=60 * 24 * 30,
        label="Delay after solving (minutes)",
        help_text="A ticket reopened within the delay gets no survey; at most 30 days.",
    )

    @staticmethod
    def initial_for(row: SurveySettings | None) -> dict[str, object]:
        if row is None:  # what the agreement asks until an admin chooses
            row = SurveySettings()
        fields = ("enabled", "csat", "ces", "nps", "ask_comment", "delay_minutes")
        return {name: getattr(row, name) for name in fields}
