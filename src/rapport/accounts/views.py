"""The landing page and your own account page (who you are, your time zone, your
password, your API tokens)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rapport.accounts import actions
from rapport.accounts.forms import TimeZoneForm
from rapport.accounts.queries import own_token, signup_is_open, signup_organisations, tokens_of
from rapport.core.errors import RapportError
from rapport.directory import actions as directory
from rapport.directory.models import Person
from rapport.directory.queries import scope_for


@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: staff work in the desk; clients, employees and vendor users
    in the portal."""
    person = cast(Person, request.user)
    return redirect("desk:home" if scope_for(person).is_staff else "portal:home")


@login_required
def ticket_link(request: HttpRequest, number: int) -> HttpResponse:
    """`/tickets/N`, the link in notification mail: the ticket where the reader works
    with it (the desk for staff, the portal for clients); that page decides whether
    they may see it."""
    person = cast(Person, request.user)
    return redirect("desk:ticket" if scope_for(person).is_staff else "portal:request", number)


def _account(request: HttpRequest, **forms: Any) -> HttpResponse:
    person = cast(Person, request.user)
    context = {
        "scope": scope_for(person),
        "tokens": tokens_of(person, active_only=True),
        "new_key": request.session.pop("new_token_key", None),
        "zone_form": forms.get("zone_form")
        or TimeZoneForm(initial={"time_zone": person.time_zone}),
        "password_form": forms.get("password_form") or PasswordChangeForm(person),
        "zone_name": timezone.get_current_timezone_name(),
        "now": timezone.now(),
    }
    status = 422 if forms else 200
    return render(request, "accounts/account.html", context, status=status)


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """Who you are, your time zone, your password, your API tokens."""
    return _account(request)


@login_required
@require_POST
def set_time_zone(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        try:
            directory.update_person(person, person, time_zone=form.cleaned_data["time_zone"])
        except RapportError as exc:
            form.add_error("time_zone", exc.detail)
        else:
            messages.success(request, "Your time zone is saved; times are shown in it.")
            return redirect("account")
    return _account(request, zone_form=form)


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """Django's form checks the old password and the new one twice; the directory
    action validates and stores it; the session survives the change."""
    person = cast(Person, request.user)
    form = PasswordChangeForm(person, request.POST)
    if form.is_valid():
        try:
            directory.update_person(person, person, password=form.cleaned_data["new_password1"])
        except RapportError as exc:
            form.add_error("new_password1", exc.detail)
        else:
            update_session_auth_hash(request, person)
            messages.success(request, "Your password is changed.")
            return redirect("account")
    return _account(request, password_form=form)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    _, key = actions.create_token(person, person, name=request.POST.get("name", "")[:100])
    # Shown once on the next page, then gone: only its hash is stored.
    request.session["new_token_key"] = key
    return redirect("account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    person = cast(Person, request.user)
    token = own_token(person, token_id)
    if token is not None:
        actions.revoke_token(person, token)
    return redirect("account")


class SignInView(LoginView):
    """Django's sign-in, offering self-signup when some organisation allows it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signup_open"] = signup_is_open()
        return context


@login_required
def signup_settings(request: HttpRequest) -> HttpResponse:
    """Admins open or close portal self-signup per organisation (by its e-mail domain)."""
    person = cast(Person, request.user)
    if not scope_for(person).is_admin:
        raise Http404("There is no such page.")
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        organisation = (
            signup_organisations().filter(pk=int(chosen)).first() if chosen.isdigit() else None
        )
        if organisation is None:
            raise Http404("There is no such organisation.")
        turn_on = request.POST.get("self_signup") == "on"
        try:
            directory.update_organisation(person, organisation, self_signup=turn_on)
        except RapportError as exc:
            messages.error(request, f"{organisation.name}: {exc.detail}")
        else:
            state = "open" if turn_on else "closed"
            messages.success(request, f"Self-signup for {organisation.name} is {state}.")
        return redirect("signup-settings")
    context = {"organisations": signup_organisations()}
    return render(request, "accounts/signup_settings.html", context)
