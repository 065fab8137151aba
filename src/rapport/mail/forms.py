"""The mailbox settings form: what an admin changes of a mailbox in the browser."""

from __future__ import annotations

from django import forms

from rapport.core.choices import Priority
from rapport.directory.models import Organisation, OrgKind


class MailboxForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, help_text="Sender name of our mail.")
    default_priority = forms.TypedChoiceField(
        choices=[("", "The agreement's default"), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Priority of new tickets from this mailbox.",
    )
    unknown_sender_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrgKind.CUSTOMER).order_by("name"),
        required=False,
        empty_label="None: quarantine mail from unknown senders",
        label="Catch-all organisation",
        help_text="Senders whose domain matches no customer organisation become contacts of "
        "this organisation.",
    )
    is_active = forms.BooleanField(required=False, label="Receives mail")
