"""Portal self-signup: a client's colleague joins their organisation's portal without
waiting for an invitation, where an admin allowed it for that organisation's domain.

The page asks only for a name and an address; the link mailed there is where the
password is chosen, so an account is only ever usable by whoever reads that mailbox.
The answer looks the same whether or not the address already has an account.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from rapport.accounts import actions as accounts
from rapport.accounts.actions import SignupOutcome
from rapport.accounts.queries import signup_person
from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.mail.outbound import queue_mail


class SignupForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(max_length=254, label="Work e-mail address")


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _mail(request: HttpRequest, person: Person, outcome: str) -> None:
    if outcome == SignupOutcome.EXISTS:
        reset = _absolute(request, reverse("password_reset"))
        text = (
            f"Hello {person.display_name},\n\nsomeone asked to sign up to Rapport with this "
            f"address, which has an account already. Sign in, or if you forgot your "
            f"password, choose a new one here:\n\n{reset}\n\nIf it was not you, ignore this mail.\n"
        )
        queue_mail(to=person.email, subject="You already have a Rapport account", text=text,
                   kind="signup")  # fmt: skip
        return
    link = _absolute(request, reverse("signup-verify", args=[accounts.signup_token(person)]))
    text = (
        f"Hello {person.display_name},\n\nconfirm this address and choose your password "
        f"to finish signing up to Rapport:\n\n{link}\n\nThe link works for three days. If you "
        f"did not sign up, ignore this mail and nothing happens.\n"
    )
    queue_mail(to=person.email, subject="Confirm your address to finish signing up",
               text=text, kind="signup")  # fmt: skip


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person, outcome = accounts.sign_up(
                    email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
                )
                _mail(request, person, outcome)
        except RapportError as exc:
            form.add_error("email", exc.detail)
        else:
            request.session["signup_address"] = form.cleaned_data["email"]
            return redirect("signup-sent")
    status = 422 if form.errors else 200
    return render(request, "portal/signup.html", {"form": form}, status=status)


@never_cache
def signup_sent(request: HttpRequest) -> HttpResponse:
    address = request.session.get("signup_address", "")
    return render(request, "portal/signup_sent.html", {"address": address})


@never_cache
def signup_verify(request: HttpRequest, token: str) -> HttpResponse:
    person = signup_person(token)
    if person is None:
        return render(request, "portal/signup_verify.html", {"form": None}, status=404)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.complete_signup(person, form.cleaned_data["new_password1"])
        except RapportError as exc:
            form.add_error("new_password1", exc.detail)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:home")
    status = 422 if form.errors else 200
    context = {"form": form, "person": person}
    return render(request, "portal/signup_verify.html", context, status=status)
