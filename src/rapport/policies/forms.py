"""Forms of the library's pages; the actions decide, these only parse."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from rapport.policies.models import Answer, CheckQuestion, Kind, Status


class LibraryFilter(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    tag = forms.CharField(required=False, max_length=64)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, max_length=200_000, help_text="Markdown")
    tags = forms.CharField(required=False, max_length=500, help_text="Separated by commas")
    client_audience = forms.ChoiceField(
        choices=[("none", "Staff only"), ("all", "All clients")], required=False
    )
    is_public = forms.BooleanField(required=False, label="Public (no sign-in needed)")


class EditForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, max_length=200_000, help_text="Markdown")
    change_summary = forms.CharField(max_length=500)


class ReviewForm(forms.Form):
    answer = forms.ChoiceField(choices=Answer.choices, widget=forms.RadioSelect)
    customer_view = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    employee_view = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    company_view = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    partner_view = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    autonomy = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    case_by_case = forms.BooleanField(required=False)
    new_hire_can_follow = forms.NullBooleanField(required=False)


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approved", "Approve"), ("rejected", "Reject")])
    comment = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea)


class PublishForm(forms.Form):
    must_read = forms.BooleanField(required=False)
    read_within_days = forms.IntegerField(min_value=1, max_value=365, initial=14)


class ProposalForm(forms.Form):
    clause = forms.CharField(required=False, max_length=200)
    what_is_wrong = forms.CharField(widget=forms.Textarea, max_length=20_000)
    why = forms.CharField(widget=forms.Textarea, max_length=20_000)
    proposed_fix = forms.CharField(widget=forms.Textarea, max_length=20_000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    reason = forms.CharField(required=False, max_length=20_000)


class CiteForm(forms.Form):
    document = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    clause = forms.CharField(required=False, max_length=200)


class ExceptionForm(forms.Form):
    document = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    why = forms.CharField(widget=forms.Textarea, max_length=20_000)
    instead = forms.CharField(widget=forms.Textarea, max_length=20_000)
    within_autonomy = forms.BooleanField(required=False)
    approver = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ReconfirmForm(forms.Form):
    note = forms.CharField(required=False, max_length=20_000)


QUESTION_SLOTS = 5
OPTION_SLOTS = 6


class CheckForm(forms.Form):
    """The must-read check: up to five questions, each with its options one per line and
    the number of the right one. A question left blank is dropped."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        answers = [("", "—")] + [(str(n), f"Option {n}") for n in range(1, OPTION_SLOTS + 1)]
        for i in range(1, QUESTION_SLOTS + 1):
            self.fields[f"q{i}_text"] = forms.CharField(
                required=False, max_length=300, label=f"Question {i}"
            )
            self.fields[f"q{i}_options"] = forms.CharField(
                required=False, max_length=1400, label="Options, one per line",
                widget=forms.Textarea(attrs={"rows": 4}),
            )  # fmt: skip
            self.fields[f"q{i}_correct"] = forms.ChoiceField(
                required=False, choices=answers, label="Right answer"
            )

    def slots(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"q{i}_text"], self[f"q{i}_options"], self[f"q{i}_correct"])
                for i in range(1, QUESTION_SLOTS + 1)]  # fmt: skip

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        questions = []
        for i in range(1, QUESTION_SLOTS + 1):
            text = str(data.get(f"q{i}_text") or "").strip()
            options = [o.strip() for o in str(data.get(f"q{i}_options") or "").splitlines()]
            options = [o for o in options if o]
            correct = str(data.get(f"q{i}_correct") or "")
            if not text and not options:
                continue
            if not text:
                self.add_error(f"q{i}_text", "Write the question, or clear its options.")
            elif not 2 <= len(options) <= OPTION_SLOTS:
                self.add_error(f"q{i}_options", f"Give 2 to {OPTION_SLOTS} options.")
            elif not correct or int(correct) > len(options):
                self.add_error(f"q{i}_correct", "Choose which option is right.")
            else:
                questions.append({"text": text, "options": options, "correct": int(correct) - 1})
        data["questions"] = questions
        return data

    @staticmethod
    def initial_from(questions: Sequence[CheckQuestion]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for i, q in enumerate(questions, start=1):
            initial[f"q{i}_text"] = q.text
            initial[f"q{i}_options"] = "\n".join(q.options)
            initial[f"q{i}_correct"] = str(q.correct + 1)
        return initial


class ExceptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    note = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea)
