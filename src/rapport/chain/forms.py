"""Forms of the service chain: a hand-off, and the period of the map and analytics."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms

from rapport.chain.actions import MAX_SHARED
from rapport.core import clock
from rapport.directory.models import Party
from rapport.tickets.actions import MAX_SUBJECT

DEFAULT_DAYS = 91


class HandOffForm(forms.Form):
    provider = forms.TypedChoiceField(coerce=int, label="Hand to")
    subject = forms.CharField(max_length=MAX_SUBJECT)
    note = forms.CharField(
        widget=forms.Textarea, max_length=MAX_SHARED, label="What they need to know"
    )
    share_request = forms.BooleanField(required=False, label="Quote the customer's request")
    wait = forms.BooleanField(required=False, label="Put this ticket on hold until it is done")

    def __init__(self, *args: Any, providers: list[tuple[Party, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), label) for p, label in providers
        ]


class PeriodForm(forms.Form):
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Inclusive"
    )

    def period(self) -> tuple[datetime, datetime]:
        """[since, until) in UTC; the last 91 days by default, a bad field is ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        now = clock.now()
        until_day = data.get("until")
        until = (
            datetime.combine(until_day + timedelta(days=1), time.min, tzinfo=now.tzinfo)
            if until_day
            else now
        )
        since_day = data.get("since")
        since = (
            datetime.combine(since_day, time.min, tzinfo=now.tzinfo)
            if since_day
            else until - timedelta(days=DEFAULT_DAYS)
        )
        if since >= until:
            self.add_error("until", "The period ends before it starts.")
            since = until - timedelta(days=DEFAULT_DAYS)
        return since, until
