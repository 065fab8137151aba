"""The preferences form: two boxes (in the app, by e-mail) per kind."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.notifications.kinds import KINDS


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, initial_choices: dict[str, tuple[bool, bool]], **kw: Any):
        super().__init__(*args, **kw)
        for kind, (in_app, email) in initial_choices.items():
            self.fields[f"{kind}__app"] = forms.BooleanField(required=False, initial=in_app)
            self.fields[f"{kind}__email"] = forms.BooleanField(required=False, initial=email)

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {kind: (data[f"{kind}__app"], data[f"{kind}__email"]) for kind in KINDS}

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [(kind, label, self[f"{kind}__app"], self[f"{kind}__email"])
                for kind, label in KINDS.items()]  # fmt: skip
