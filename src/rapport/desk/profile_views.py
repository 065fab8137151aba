"""Profiles: a client's page and a person's page, with staff-only notes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rapport.core.errors import NotFound
from rapport.desk import actions
from rapport.desk.actions import MAX_NOTE
from rapport.desk.dashboard_views import tickets_url
from rapport.desk.queries import profiles
from rapport.desk.views import sidebar
from rapport.directory.access import me, my_scope, staff_required
from rapport.tickets.forms import run_action

BIG_ID = 2**63


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_NOTE,
                           label="Add a note (staff only)")  # fmt: skip


@require_GET
@staff_required
@never_cache
def client(request: HttpRequest, party_id: int) -> HttpResponse:
    return _client_page(request, party_id, NoteForm())


def _client_page(
    request: HttpRequest, party_id: int, form: NoteForm, status: int = 200
) -> HttpResponse:
    if party_id >= BIG_ID:
        raise Http404("No such client.")
    try:
        party, organisation, profile = profiles.client_profile(my_scope(request), party_id)
    except NotFound as error:
        raise Http404(error.detail)
    context = {
        **sidebar(request, ""),
        "party": party, "organisation": organisation, "profile": profile, "form": form,
        "all_url": tickets_url(client=party.pk),
        "note_url": "desk:client-note", "note_id": party.pk,
    }  # fmt: skip
    return render(request, "desk/client.html", context, status=status)


@require_POST
@staff_required
def client_note(request: HttpRequest, party_id: int) -> HttpResponse:
    if party_id >= BIG_ID:
        raise Http404("No such client.")
    try:
        party, _, _ = profiles.client_profile(my_scope(request), party_id)
    except NotFound as error:
        raise Http404(error.detail)
    form = NoteForm(request.POST)
    if form.is_valid() and run_action(
        form, "body",
        lambda: actions.add_client_note(me(request), party=party, body=form.cleaned_data["body"]),
    ):  # fmt: skip
        messages.success(request, "Note added.")
        return redirect("desk:client", party_id=party.pk)
    return _client_page(request, party_id, form, status=422)


@require_GET
@staff_required
@never_cache
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id, NoteForm())


def _person_page(
    request: HttpRequest, person_id: int, form: NoteForm, status: int = 200
) -> HttpResponse:
    if person_id >= BIG_ID:
        raise Http404("No such person.")
    try:
        who, profile = profiles.person_profile(my_scope(request), person_id)
    except NotFound as error:
        raise Http404(error.detail)
    context = {
        **sidebar(request, ""),
        "who": who, "profile": profile, "form": form,
        "note_url": "desk:person-note", "note_id": who.pk,
    }  # fmt: skip
    return render(request, "desk/person.html", context, status=status)


@require_POST
@staff_required
def person_note(request: HttpRequest, person_id: int) -> HttpResponse:
    if person_id >= BIG_ID:
        raise Http404("No such person.")
    try:
        who, _ = profiles.person_profile(my_scope(request), person_id)
    except NotFound as error:
        raise Http404(error.detail)
    form = NoteForm(request.POST)
    if form.is_valid() and run_action(
        form, "body",
        lambda: actions.add_client_note(me(request), person=who, body=form.cleaned_data["body"]),
    ):  # fmt: skip
        messages.success(request, "Note added.")
        return redirect("desk:person", person_id=who.pk)
    return _person_page(request, person_id, form, status=422)
