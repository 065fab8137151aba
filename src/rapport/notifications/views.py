"""Your notifications in the browser: the list, marking read, and how you hear of what."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rapport.core.errors import NotFound
from rapport.directory.models import Person
from rapport.notifications import actions
from rapport.notifications.forms import PreferencesForm
from rapport.notifications.kinds import label
from rapport.notifications.models import Notification
from rapport.notifications.queries import inbox, preferences

PAGE = 30


def _target(person: Person, notification: Notification) -> str:
    """Where a notification leads: its ticket in the desk for staff, in the portal for
    others (the ticket's own page checks whether they may see it)."""
    if notification.ticket_id is None:
        return reverse("notifications:list")
    if person.staff_role:
        return reverse("desk:ticket", args=[notification.ticket_id])
    return reverse("portal:request", args=[notification.ticket_id])


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(inbox(person, unread_only=unread_only), PAGE).get_page(request.GET.get("page"))
    rows = [(n, label(n.kind)) for n in page]
    context = {"page": page, "rows": rows, "unread_only": unread_only}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points."""
    person = cast(Person, request.user)
    try:
        row = actions.mark_read(person, notification_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return redirect(_target(person, row))


@login_required
@require_POST
def read_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        actions.mark_read(cast(Person, request.user), notification_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return _back(request)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    marked = actions.mark_all_read(cast(Person, request.user))
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
def preferences_page(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    form = PreferencesForm(request.POST or None, initial_choices=preferences(person))
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(person, person, form.choices())
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
