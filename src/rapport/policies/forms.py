"""Forms of the library's pages; the actions decide, these only parse."""

from __future__ import annotations

from django import forms

from rapport.policies.models import Answer, Kind, Status


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
