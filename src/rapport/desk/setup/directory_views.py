"""Settings: people, organisations and teams, through the directory's actions."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.core.errors import RapportError
from rapport.desk.setup.common import admin, admin_required, report
from rapport.desk.setup.forms import (
    MemberForm,
    OrganisationEditForm,
    OrganisationForm,
    OrgMemberForm,
    PersonEditForm,
    PersonForm,
    TeamForm,
    TeamMemberForm,
)
from rapport.directory import actions
from rapport.directory.models import (
    Organisation,
    OrgKind,
    OrgMembership,
    Person,
    Team,
    TeamMembership,
)
from rapport.mail.account_mail import send_invitation

PAGE = 200


def _person(person_id: int) -> Person:
    found = Person.objects.filter(pk=person_id).first()
    if found is None:
        raise Http404("No such person.")
    return found


@admin_required
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    rows = Person.objects.order_by("-is_active", "full_name", "username").prefetch_related(
        Prefetch("team_memberships", TeamMembership.objects.select_related("team")),
        Prefetch("org_memberships", OrgMembership.objects.select_related("organisation")),
    )
    if query:
        rows = (
            rows.filter(full_name__icontains=query)
            | rows.filter(username__icontains=query)
            | rows.filter(email__icontains=query)
        )
    return render(request, "setup/people.html", {"people": rows[:PAGE], "page": PAGE, "q": query})


@admin_required
def person_new(request: HttpRequest) -> HttpResponse:
    me = admin(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = actions.create_person(
                    me, username=data["username"], email=data["email"],
                    full_name=data["full_name"], staff_role=data["staff_role"] or "",
                    password=data["password"] or None,
                )  # fmt: skip
                if data["organisation"] is not None:
                    actions.add_org_member(me, data["organisation"], person)
                if data["team"] is not None:
                    actions.add_team_member(
                        me, data["team"], person, role=data["team_role"] or "agent"
                    )
                if data["invite"]:
                    send_invitation(person, request.build_absolute_uri("/").rstrip("/"))
        except RapportError as exc:
            report(form, exc)
        else:
            invited = " and invited by e-mail" if data["invite"] else ""
            messages.success(request, f"Created {person.display_name}{invited}.")
            return redirect("settings:person", person.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "setup/person_new.html", {"form": form}, status=status)


@admin_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    me, found = admin(request), _person(person_id)
    form = PersonEditForm(
        request.POST or None,
        initial={"full_name": found.full_name, "email": found.email,
                 "staff_role": found.staff_role, "is_active": found.is_active},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_person(
                me, found, full_name=data["full_name"], email=data["email"],
                staff_role=data["staff_role"] or "", is_active=data["is_active"],
            )  # fmt: skip
        except RapportError as exc:
            report(form, exc)
            found.refresh_from_db()
        else:
            messages.success(request, f"Saved {found.display_name}.")
            return redirect("settings:person", found.pk)
    return _person_page(request, found, form=form, status=422 if form.errors else 200)


def _person_page(
    request: HttpRequest,
    found: Person,
    *,
    form: PersonEditForm | None = None,
    team_form: TeamMemberForm | None = None,
    org_form: OrgMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "person": found,
        "form": form or PersonEditForm(initial={
            "full_name": found.full_name, "email": found.email,
            "staff_role": found.staff_role, "is_active": found.is_active}),
        "team_form": team_form or TeamMemberForm(),
        "org_form": org_form or OrgMemberForm(),
        "teams": found.team_memberships.select_related("team").order_by("team__name"),
        "orgs": found.org_memberships.select_related("organisation").order_by(
            "organisation__name"
        ),
    }  # fmt: skip
    return render(request, "setup/person.html", context, status=status)


@admin_required
@require_POST
def person_invite(request: HttpRequest, person_id: int) -> HttpResponse:
    found = _person(person_id)
    if not found.email or not found.is_active:
        messages.error(request, "Only an active person with an e-mail address can be invited.")
    else:
        with transaction.atomic():
            send_invitation(found, request.build_absolute_uri("/").rstrip("/"))
        messages.success(request, f"Sent an invitation to {found.email}.")
    return redirect("settings:person", found.pk)


@admin_required
@require_POST
def person_team(request: HttpRequest, person_id: int) -> HttpResponse:
    me, found = admin(request), _person(person_id)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.add_team_member(
                me, form.cleaned_data["team"], found, role=form.cleaned_data["role"]
            )
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Added to {form.cleaned_data['team'].name}.")
            return redirect("settings:person", found.pk)
    return _person_page(request, found, team_form=form, status=422)


@admin_required
@require_POST
def person_org(request: HttpRequest, person_id: int) -> HttpResponse:
    me, found = admin(request), _person(person_id)
    form = OrgMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.add_org_member(
                me, form.cleaned_data["organisation"], found,
                is_admin=form.cleaned_data["is_admin"],
            )  # fmt: skip
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Added to {form.cleaned_data['organisation'].name}.")
            return redirect("settings:person", found.pk)
    return _person_page(request, found, org_form=form, status=422)


@admin_required
@require_POST
def team_member_remove(request: HttpRequest, team_id: int, person_id: int) -> HttpResponse:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    found = _person(person_id)
    actions.remove_team_member(admin(request), team, found)
    messages.success(request, f"{found.display_name} left {team.name}.")
    if request.POST.get("next") == "team":
        return redirect("settings:team", team.pk)
    return redirect("settings:person", found.pk)


@admin_required
@require_POST
def org_member_remove(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        raise Http404("No such organisation.")
    found = _person(person_id)
    actions.remove_org_member(admin(request), organisation, found)
    messages.success(request, f"{found.display_name} left {organisation.name}.")
    if request.POST.get("next") == "organisation":
        return redirect("settings:organisation", organisation.pk)
    return redirect("settings:person", found.pk)


@admin_required
def organisations(request: HttpRequest) -> HttpResponse:
    rows = Organisation.objects.annotate(people=Count("memberships")).order_by("kind", "name")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.create_organisation(admin(request), **form.cleaned_data)
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Created {org.name}.")
            return redirect("settings:organisation", org.pk)
    status = 422 if form.errors else 200
    context = {"organisations": rows, "form": form}
    return render(request, "setup/organisations.html", context, status=status)


@admin_required
def organisation(request: HttpRequest, org_id: int) -> HttpResponse:
    found = Organisation.objects.filter(pk=org_id).first()
    if found is None:
        raise Http404("No such organisation.")
    form = OrganisationEditForm(
        request.POST or None,
        initial={"name": found.name, "email_domain": found.email_domain, "notes": found.notes},
    )
    member_form = MemberForm()
    if request.method == "POST":
        if "person" in request.POST:
            member_form = MemberForm(request.POST)
            form = OrganisationEditForm(initial=form.initial)
            if member_form.is_valid():
                actions.add_org_member(admin(request), found, member_form.cleaned_data["person"])
                messages.success(request, "Added.")
                return redirect("settings:organisation", found.pk)
        elif form.is_valid():
            try:
                actions.update_organisation(admin(request), found, **form.cleaned_data)
            except RapportError as exc:
                report(form, exc)
                found.refresh_from_db()
            else:
                messages.success(request, f"Saved {found.name}.")
                return redirect("settings:organisation", found.pk)
    members = found.memberships.select_related("person").order_by("person__full_name")
    context = {"organisation": found, "form": form, "member_form": member_form,
               "members": members, "is_own": found.kind == OrgKind.OWN}  # fmt: skip
    status = 422 if form.errors or member_form.errors else 200
    return render(request, "setup/organisation.html", context, status=status)


@admin_required
def teams(request: HttpRequest) -> HttpResponse:
    rows = Team.objects.annotate(people=Count("memberships")).order_by("name")
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = actions.create_team(admin(request), **form.cleaned_data)
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Created the team {team.name}.")
            return redirect("settings:team", team.pk)
    status = 422 if form.errors else 200
    return render(request, "setup/teams.html", {"teams": rows, "form": form}, status=status)


@admin_required
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    found = Team.objects.filter(pk=team_id).first()
    if found is None:
        raise Http404("No such team.")
    form = TeamForm(request.POST or None, initial={"name": found.name, "email": found.email})
    member_form = MemberForm()
    member_form.fields["person"].queryset = Person.objects.exclude(staff_role="").filter(  # type: ignore[attr-defined]
        is_active=True
    )
    if request.method == "POST":
        if "person" in request.POST:
            member_form = MemberForm(request.POST)
            form = TeamForm(initial=form.initial)
            if member_form.is_valid():
                try:
                    actions.add_team_member(
                        admin(request), found, member_form.cleaned_data["person"],
                        role=request.POST.get("role", "agent"),
                    )  # fmt: skip
                except RapportError as exc:
                    report(member_form, exc)
                else:
                    messages.success(request, "Added.")
                    return redirect("settings:team", found.pk)
        elif form.is_valid():
            try:
                actions.update_team(admin(request), found, **form.cleaned_data)
            except RapportError as exc:
                report(form, exc)
                found.refresh_from_db()
            else:
                messages.success(request, f"Saved {found.name}.")
                return redirect("settings:team", found.pk)
    members = found.memberships.select_related("person").order_by("person__full_name")
    context = {"team": found, "form": form, "member_form": member_form, "members": members}
    status = 422 if form.errors or member_form.errors else 200
    return render(request, "setup/team.html", context, status=status)
