"""Forms of the portal: a new request, a reply."""

from __future__ import annotations

from django import forms

from rapport.core.choices import Priority
from rapport.portal.queries import Option
from rapport.tickets.actions import MAX_BODY, MAX_SUBJECT
from rapport.tickets.forms import MultipleFileField

PRIORITY_CHOICES = [("", "Usual")] + [(str(p.value), str(p.label).capitalize()) for p in Priority]


class RequestForm(forms.Form):
    provider = forms.TypedChoiceField(coerce=int, label="Who should help?")
    subject = forms.CharField(max_length=MAX_SUBJECT, label="Subject")
    body = forms.CharField(widget=forms.Textarea, max_length=MAX_BODY, label="Describe the problem")
    priority = forms.TypedChoiceField(
        choices=PRIORITY_CHOICES, coerce=int, empty_value=None, required=False, label="Priority"
    )
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args: object, options: list[Option], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.options = {o.provider.pk: o for o in options}
        self.fields["provider"].choices = [("", "Choose…")] + [  # type: ignore[attr-defined]
            (str(o.provider.pk), o.label) for o in options
        ]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        option = self.options.get(cleaned.get("provider"))  # type: ignore[arg-type]
        if cleaned.get("priority") and option is not None and not option.clients_choose_priority:
            self.add_error(
                "priority", f"Your agreement with {option.provider.name} sets the priority."
            )
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, max_length=MAX_BODY, label="Your reply")
    attachments = MultipleFileField(label="Attachments")
