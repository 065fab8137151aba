"""Forms of the desk: queue filters, reply and note, ticket fields, merge, bulk, views."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.agreements.models import Agreement
from rapport.core.choices import Priority
from rapport.desk.queries import SORTS, client_parties
from rapport.directory.models import Party, Person
from rapport.tickets.actions import MAX_BODY
from rapport.tickets.forms import MultipleFileField
from rapport.tickets.models import Status

PRIORITY_CHOICES = [(str(p.value), str(p.label).capitalize()) for p in Priority]
SORT_CHOICES = [(f"{d}{key}", f"{key} {d}") for key in SORTS for d in ("", "-")]


def _status_choices(statuses: list[Status]) -> list[tuple[str, str]]:
    return [(s.slug, s.name) for s in statuses]


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(required=False, label="Status")
    priority = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Priority"
    )
    provider = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Team")
    assignee = forms.ChoiceField(required=False, label="Assignee")
    tag = forms.CharField(required=False, max_length=64, label="Tag")
    client = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, label="Client")
    # What the agent typed; the suggestions (htmx) link to the client's number.
    client_name = forms.CharField(required=False, max_length=200, label="Client")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    cursor = forms.CharField(required=False, max_length=2000)  # a text sort's key is long

    def __init__(
        self,
        data: object,
        *,
        statuses: list[Status],
        providers: list[Party],
        staff: list[Person],
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        any_ = [("", "Any")]
        self.fields["status"].choices = any_ + _status_choices(statuses)  # type: ignore[attr-defined]
        self.fields["priority"].choices = any_ + PRIORITY_CHOICES  # type: ignore[attr-defined]
        self.fields["provider"].choices = any_ + [(str(p.pk), p.name) for p in providers]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = (  # type: ignore[attr-defined]
            any_ + [("me", "Me"), ("none", "Nobody")] + [(str(p.pk), p.display_name) for p in staff]
        )

    def clean_tag(self) -> str:
        return str(self.cleaned_data.get("tag") or "").strip().lower()

    def clean(self) -> dict[str, Any]:
        """The client by number (a suggestion's link), else by the name typed: one
        client of that name, or the only one whose name starts so."""
        data = super().clean() or {}
        number, typed = data.get("client"), " ".join(str(data.get("client_name") or "").split())
        self.client_party: Party | None = None
        if number:
            self.client_party = client_parties().filter(pk=number).first()
            if self.client_party is None:
                self.add_error("client", "There is no such client.")
        elif typed:
            found = list(client_parties().filter(name__iexact=typed)[:2]) or list(
                client_parties().filter(name__istartswith=typed)[:2]
            )
            if len(found) == 1:
                self.client_party = found[0]
            elif found:
                self.add_error("client_name", f"Several clients match “{typed}”: pick one.")
            else:
                self.add_error("client_name", f"No client is called “{typed}”.")
        data["client"] = self.client_party.pk if self.client_party else None
        return data


class MessageForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, max_length=MAX_BODY, strip=True)
    attachments = MultipleFileField(label="Attachments")


class ReplyForm(MessageForm):
    status = forms.ChoiceField(required=False, label="Then set status")

    def __init__(self, *args: object, statuses: list[Status], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = [("", "Leave as is"), *_status_choices(statuses)]  # type: ignore[attr-defined]


class NoteForm(MessageForm):
    pass


class SubjectForm(forms.Form):
    # Blank and over-long subjects are refused by tickets.actions.set_subject, in
    # the same words as everywhere else; the form only caps what it reads.
    subject = forms.CharField(max_length=1000, strip=True, required=False, label="Subject")


class AgreementForm(forms.Form):
    agreement = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, agreements: list[Agreement], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agreement"].choices = [("", "No agreement")] + [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.name} · {a.get_kind_display()}") for a in agreements
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField()
    # Solving a ticket whose hand-offs are still open is asked again first.
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: object, statuses: list[Status], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = _status_choices(statuses)  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(choices=PRIORITY_CHOICES, coerce=int)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, staff: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignee"].choices = [("", "Nobody")] + [  # type: ignore[attr-defined]
            (str(p.pk), p.display_name) for p in staff
        ]


class TagForm(forms.Form):
    tag = forms.CharField(max_length=64, label="Add a tag")


class MergeForm(forms.Form):
    into = forms.IntegerField(min_value=1, max_value=2**63 - 1, label="Merge into ticket #")


BULK_ACTIONS = [
    ("assign", "Assign to"),
    ("status", "Set status"),
    ("priority", "Set priority"),
    ("tag", "Add tag"),
]
MAX_BULK = 200


class BulkForm(forms.Form):
    tickets = forms.TypedMultipleChoiceField(
        coerce=int, label="Tickets", error_messages={"required": "Select at least one ticket."}
    )
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    # One control per action (each beside its own button), so the bar needs no script.
    value_assign = forms.CharField(max_length=64, required=False)
    value_status = forms.CharField(max_length=64, required=False)
    value_priority = forms.CharField(max_length=64, required=False)
    value_tag = forms.CharField(max_length=64, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Any number is a valid choice here: whether the agent may see and change that
        # ticket is the actions' decision, reported per ticket.
        numbers = self.data.getlist("tickets") if hasattr(self.data, "getlist") else []
        self.fields["tickets"].choices = [(n, n) for n in numbers if str(n).isdigit()]  # type: ignore[attr-defined]

    def clean_tickets(self) -> list[int]:
        numbers = list(self.cleaned_data["tickets"])
        if len(numbers) > MAX_BULK:
            raise forms.ValidationError(f"Choose at most {MAX_BULK} tickets at once.")
        if any(n < 1 or n >= 2**63 for n in numbers):
            raise forms.ValidationError("A ticket number is out of range.")
        return numbers

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        cleaned["value"] = str(cleaned.get(f"value_{action}") or "").strip()
        if action in ("status", "priority", "tag") and not cleaned["value"]:
            self.add_error(f"value_{action}", "Choose a value to apply.")
        return cleaned


class SaveViewForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name this view")
