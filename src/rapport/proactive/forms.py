from __future__ import annotations

import re
from typing import Any

from django import forms

from rapport.directory.models import Party, PartyKind
from rapport.proactive.models import OutreachSource


class OutreachForm(forms.Form):
    source = forms.ChoiceField(choices=OutreachSource.choices, initial=OutreachSource.TICKETS)
    tickets = forms.CharField(
        required=False, max_length=4000, help_text="Ticket numbers, separated by commas or spaces."
    )
    vendor = forms.ModelChoiceField(
        queryset=Party.objects.filter(kind__in=(PartyKind.VENDOR, PartyKind.CONTRACTOR)),
        required=False,
        help_text="For a vendor incident: every customer waiting on its work.",
    )
    client = forms.ModelChoiceField(
        queryset=Party.objects.filter(kind__in=(PartyKind.CUSTOMER, PartyKind.TEAM)),
        required=False,
        label="Filter: client",
    )
    provider = forms.ModelChoiceField(
        queryset=Party.objects.filter(
            kind__in=(PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR)
        ),
        required=False,
        label="Filter: provider",
    )
    tag = forms.CharField(required=False, max_length=64, label="Filter: tag")
    subject = forms.CharField(max_length=300)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000, label="Message"
    )
    follow_up_of = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def clean_tickets(self) -> list[int]:
        raw = self.cleaned_data.get("tickets", "")
        numbers = [int(n) for n in re.findall(r"\d{1,18}", raw)]
        if len(numbers) > 500:
            raise forms.ValidationError("At most 500 tickets.")
        return numbers

    def selection(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "source": d["source"],
            "tickets": d["tickets"],
            "vendor": d["vendor"].pk if d.get("vendor") else None,
            "client": d["client"].pk if d.get("client") else None,
            "provider": d["provider"].pk if d.get("provider") else None,
            "tag": d.get("tag", ""),
        }
