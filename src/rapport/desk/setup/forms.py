"""Forms of the Settings area; the rules they cannot check live in the actions, whose
errors come back as field errors."""

from __future__ import annotations

from django import forms

from rapport.agreements.models import AgreementKind, Calendar
from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.directory.models import (
    Organisation,
    OrgKind,
    Party,
    PartyKind,
    Person,
    StaffRole,
    Team,
    TeamRole,
)


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=[(k, label) for k, label in OrgKind.choices if k != OrgKind.OWN],
        help_text="A customer is served by us; a vendor or contractor serves us.",
    )
    email_domain = forms.CharField(
        max_length=200,
        required=False,
        label="E-mail domain",
        help_text="Mail from this domain comes from its people.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class OrganisationEditForm(OrganisationForm):
    kind = None  # type: ignore[assignment]  # the kind of a party never changes


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False, help_text="The team's shared address, if any.")


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150)
    full_name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    staff_role = forms.ChoiceField(
        choices=StaffRole.choices,
        required=False,
        help_text="Agents work tickets; managers also see every queue and report; admins "
        "also change settings. Not staff: a client contact or a vendor's user.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text="The organisation the person belongs to (a client contact, a vendor user, "
        "or one of ours).",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="—"
    )
    team_role = forms.ChoiceField(choices=TeamRole.choices, required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Leave empty to let the person choose one from the invitation.",
    )
    invite = forms.BooleanField(
        required=False, initial=True, label="E-mail an invitation to choose a password"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("invite") and not data.get("email"):
            self.add_error("email", "An invitation needs an e-mail address.")
        if data.get("team") and not data.get("staff_role"):
            self.add_error("team", "Only staff can be members of a team.")
        return data


class PersonEditForm(forms.Form):
    full_name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    staff_role = forms.ChoiceField(choices=StaffRole.choices, required=False)
    is_active = forms.BooleanField(
        required=False, label="Active", help_text="A deactivated person cannot sign in."
    )


class TeamMemberForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"))
    role = forms.ChoiceField(choices=TeamRole.choices)


class OrgMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"))
    is_admin = forms.BooleanField(required=False, label="Sees every request of the organisation")


class MemberForm(forms.Form):
    """Adding a person from the team's or organisation's own page."""

    person = forms.ModelChoiceField(queryset=Person.objects.order_by("full_name", "username"))


def _providers() -> list[tuple[int, str]]:
    kinds = (PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR)
    rows = Party.objects.filter(kind__in=kinds).order_by("kind", "name")
    return [(p.pk, f"{p.name} ({p.get_kind_display()})") for p in rows]


def _clients() -> list[tuple[int, str]]:
    kinds = (PartyKind.CUSTOMER, PartyKind.TEAM, PartyKind.OWN)
    rows = Party.objects.filter(kind__in=kinds).order_by("kind", "name")
    return [(p.pk, f"{p.name} ({p.get_kind_display()})") for p in rows]


class AgreementForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=AgreementKind.choices,
        help_text="SLA: we serve a customer. OLA: one of our teams serves another. "
        "UC: a vendor or contractor serves us.",
    )
    provider = forms.TypedChoiceField(coerce=int, choices=())
    client = forms.TypedChoiceField(coerce=int, choices=())
    calendar = forms.ModelChoiceField(
        queryset=Calendar.objects.order_by("name"),
        help_text="Business hours the clocks run in.",
    )
    active_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    active_until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    default_priority = forms.ChoiceField(
        choices=[(str(p.label), str(p.label).capitalize()) for p in Priority], initial="normal"
    )
    clients_choose_priority = forms.BooleanField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = _providers()  # type: ignore[attr-defined]
        self.fields["client"].choices = _clients()  # type: ignore[attr-defined]
        self.fields["active_from"].initial = clock.now().date()

    def parties(self) -> tuple[Party, Party]:
        found = Party.objects.in_bulk([self.cleaned_data["provider"], self.cleaned_data["client"]])
        return found[self.cleaned_data["provider"]], found[self.cleaned_data["client"]]


class MailboxNewForm(forms.Form):
    address = forms.EmailField(max_length=254)
    provider = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        label="Answered by",
        help_text="The team or supplier whose queue new tickets from this address land in.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = _providers()  # type: ignore[attr-defined]


class ImapForm(forms.Form):
    imap_host = forms.CharField(max_length=253, required=False, label="IMAP server")
    imap_port = forms.IntegerField(min_value=1, max_value=65535, initial=993, label="Port")
    imap_tls = forms.BooleanField(required=False, initial=True, label="TLS")
    imap_username = forms.CharField(max_length=254, required=False, label="User name")
    imap_password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label="Password",
        help_text="Stored encrypted. Leave empty to keep the one saved.",
    )
    imap_folder = forms.CharField(max_length=200, initial="INBOX", label="Folder")
    imap_processed_folder = forms.CharField(
        max_length=200, required=False, label="Move stored mail to",
        help_text="Empty: mark it read instead.",
    )  # fmt: skip


class TokenForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.filter(is_active=True).order_by("full_name", "username"),
        help_text="The token acts as this person, with their permissions.",
    )
    name = forms.CharField(max_length=100, required=False, help_text="What it is for.")


class StatusForm(forms.Form):
    name = forms.CharField(max_length=80)
    category = forms.ChoiceField(
        choices=StatusCategory.choices,
        help_text="What clocks, queues and reports make of it.",
    )


class StatusEditForm(forms.Form):
    name = forms.CharField(max_length=80)
    position = forms.IntegerField(min_value=0, max_value=1000)
    is_default = forms.BooleanField(required=False, label="Default of its category")
