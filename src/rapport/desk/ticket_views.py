"""The desk's ticket page: header fields, thread, history, reply and note, inline
changes (htmx), merge. Every change goes through `tickets.actions`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.agreements.models import Agreement
from rapport.agreements.queries import applicable_agreements
from rapport.chain import queries as chain_queries
from rapport.chain import views as chain_views
from rapport.core import clock
from rapport.core.choices import ACTIVE_CATEGORIES, DONE_CATEGORIES
from rapport.core.errors import Invalid, NotFound
from rapport.core.fast.prepared import Prepared
from rapport.desk import fragments
from rapport.desk import sla as desk_sla
from rapport.desk.forms import (
    PRIORITY_CHOICES,
    AgreementForm,
    AssignForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    SubjectForm,
    TagForm,
)
from rapport.desk.queries import thread as desk_thread
from rapport.directory.access import is_htmx, me, my_scope, staff_required
from rapport.directory.models import Person, StaffRole
from rapport.directory.queries import Scope
from rapport.tickets import actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets.forms import run_action, upload_all
from rapport.tickets.models import Side, Status, Ticket
from rapport.tickets.permissions import side_of


def _ticket(request: HttpRequest, number: int) -> Ticket:
    if number >= 2**63:  # beyond any key; the database would refuse the number
        raise Http404(f"There is no ticket #{number} you can see.")
    try:
        return ticket_queries.get_ticket(my_scope(request), number, tags=False)
    except NotFound:
        raise Http404(f"There is no ticket #{number} you can see.")


def _stamp(ticket: Ticket) -> str:
    """Changes whenever the thread may have: every writer moves updated_at."""
    return f"{ticket.updated_at.timestamp():.6f}-{ticket.message_count}"


def _assignable(ticket: Ticket) -> list[Person]:
    """Staff of the providing team, and whoever holds the ticket now (asked even when
    the provider is not a team, so every ticket page takes the same queries)."""
    return _assignable_people(
        None, provider=ticket.provider_party_id, assignee=ticket.assignee_id or 0
    )


@Prepared
def _assignable_people(_: None, *, provider: int, assignee: int) -> QuerySet[Person]:
    qs = Person.objects.filter(is_active=True).exclude(staff_role=StaffRole.NONE)
    condition = Q(team_memberships__team__party_id=provider) | Q(pk=assignee)
    return (
        qs.filter(condition)
        .distinct()
        .order_by("full_name", "username", "id")
        .only("id", *desk_thread.NAME_FIELDS)
    )


@Prepared
def _related(condition: Q | None, *, ticket: int, parent: int) -> QuerySet[Ticket]:
    """The ticket's parent and children the person may see, in one statement: a UNION
    of two index lookups, because SQLite answers "parent_id = ? OR id = ?" by
    scanning every ticket."""
    children = Ticket.objects.filter(parent_id=ticket).order_by().values("pk")
    parent_row = Ticket.objects.filter(pk=parent).order_by().values("pk")
    return (
        ticket_queries.tickets_where(condition)
        .filter(pk__in=children.union(parent_row, all=True))
        .select_related("status", "provider_party")
        .order_by("id")
    )


def _permissions(scope: Scope, ticket: Ticket) -> dict[str, bool]:
    provider = side_of(scope, ticket) == Side.PROVIDER
    internal = ticket_queries.can_see_internal(scope, ticket)
    return {
        "is_provider": provider,
        "sees_internal": internal,
        "can_assign": provider and ticket.provider_party.is_team,
        "can_tag": internal,
        "can_merge": internal and ticket.merged_into_id is None,
        "open_thread": ticket.merged_into_id is None and ticket.status_category != "closed",
        "can_rename": provider and ticket.merged_into_id is None,
        # The terms that measure the provider are our staff's: on work handed to a
        # vendor, the team that handed it off (tickets.permissions.require_terms_owner).
        "can_change_agreement": internal and ticket.merged_into_id is None,
    }


def _fields_context(
    request: HttpRequest, ticket: Ticket, statuses: list[Status], errors: dict[str, Any] | None
) -> dict[str, Any]:
    scope = my_scope(request)
    perms = _permissions(scope, ticket)
    return {
        "ticket": ticket,
        "statuses": statuses,
        "priorities": PRIORITY_CHOICES,
        "assignable_options": [(p.pk, p.display_name) for p in _assignable(ticket)],
        "status_options": [(s.slug, s.name) for s in statuses],
        "field_errors": errors or {},
        "tags": ticket_queries.tag_names_of(ticket),
        **perms,
    }


def _page(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = my_scope(request)
    statuses = ticket_queries.statuses(ticket)
    related = _related(
        ticket_queries.visibility(scope), ticket=ticket.pk, parent=ticket.parent_id or 0
    )
    handed = [t for t in related if t.parent_id == ticket.pk]
    context = {
        **_fields_context(request, ticket, statuses, None),
        **_thread_context(scope, ticket, desk_thread.messages(scope, ticket)),
        **_history_context(ticket, desk_thread.events(scope, ticket)),
        "parent": next((t for t in related if t.pk == ticket.parent_id), None),
        "children": handed,
        "open_children": any(c.status_category not in DONE_CATEGORIES for c in handed),
        "now": clock.now(),
        **chain_views.handoff_context(scope, ticket),
        "reply_form": reply_form or ReplyForm(statuses=statuses),
        "note_form": note_form or NoteForm(),
        "merge_form": merge_form or MergeForm(),
        **desk_sla.ticket_panel(scope, ticket, clock.now()),
    }
    return render(request, "desk/ticket.html", context, status=status)


@require_GET
@staff_required
@never_cache
def ticket_page(request: HttpRequest, number: int) -> HttpResponse:
    return _page(request, _ticket(request, number))


def _thread_context(scope: Scope, ticket: Ticket, page: desk_thread.Page) -> dict[str, Any]:
    """The polled thread section; its earlier messages load outside it, so a poll
    that replaces the section keeps them."""
    url = reverse("desk:thread", args=[ticket.pk])
    return {
        "ticket": ticket,
        "thread_html": fragments.messages_html(page.rows),
        "thread_empty": not page.rows,
        "earlier_messages": (
            fragments.earlier_button(f"{url}?before={quote(str(page.earlier))}", "messages")
            if page.earlier
            else ""
        ),
        "thread_first": str(page.first) if page.first else "",
        "stamp": _stamp(ticket),
        "poll_seconds": settings.RAPPORT_THREAD_POLL_SECONDS,
    }


def _history_context(ticket: Ticket, page: desk_thread.Page) -> dict[str, Any]:
    url = reverse("desk:history", args=[ticket.pk])
    earlier = ""
    if page.earlier:
        earlier = fragments.earlier_button(
            f"{url}?before={quote(str(page.earlier))}", "events", "li"
        )
    return {
        "ticket": ticket,
        "events_html": fragments.events_html(page.rows),
        "events_empty": not page.rows,
        "earlier_events": earlier,
    }


@require_GET
@staff_required
@never_cache
def thread(request: HttpRequest, number: int) -> HttpResponse:
    """The thread alone, polled while the agent works: 204 when nothing changed, so
    the page (and any draft in its forms) is left alone. A poll sends the first
    message on screen (`from`) and gets every message from there on.

    With `before`: the messages before that one, for "Show earlier"."""
    ticket = _ticket(request, number)
    scope = my_scope(request)
    if "before" in request.GET:
        before = desk_thread.Key.parse(request.GET["before"])
        if before is None:
            return HttpResponse("Not a place in this thread.", status=400)
        page = desk_thread.messages(scope, ticket, before=before)
        earlier = _thread_context(scope, ticket, page)["earlier_messages"]
        return HttpResponse(earlier + fragments.messages_html(page.rows))
    stamp = _stamp(ticket)
    if request.GET.get("since") == stamp:
        return HttpResponse(status=204)
    start = desk_thread.Key.parse(request.GET.get("from"))
    page = desk_thread.messages(scope, ticket, start=start)
    context = _thread_context(scope, ticket, page)
    context["refreshed"] = "since" in request.GET
    return render(request, "desk/_thread.html", context)


@require_GET
@staff_required
@never_cache
def history(request: HttpRequest, number: int) -> HttpResponse:
    """The latest events (refreshed after each change), or those `before` one."""
    ticket = _ticket(request, number)
    before = desk_thread.Key.parse(request.GET.get("before"))
    if "before" in request.GET and before is None:
        return HttpResponse("Not a place in this history.", status=400)
    context = _history_context(ticket, desk_thread.events(my_scope(request), ticket, before=before))
    if before is not None:
        return HttpResponse(context["earlier_events"] + context["events_html"])
    return render(request, "desk/_history.html", context)


def _message(request: HttpRequest, number: int, *, internal: bool) -> HttpResponse:
    ticket = _ticket(request, number)
    statuses = ticket_queries.statuses(ticket)
    form: ReplyForm | NoteForm = (
        NoteForm(request.POST, request.FILES)
        if internal
        else ReplyForm(request.POST, request.FILES, statuses=statuses)
    )
    if form.is_valid():
        person = me(request)
        data = form.cleaned_data

        def write() -> object:
            tokens = upload_all(person, data["attachments"])
            if internal:
                return actions.add_note(person, ticket, body=data["body"], attachments=tokens)
            status = next((s for s in statuses if s.slug == data.get("status")), None)
            return actions.reply(
                person, ticket, body=data["body"], attachments=tokens, status=status
            )

        if run_action(form, "body", write) is not None:
            messages.success(request, "Note added." if internal else "Reply sent.")
            return redirect(reverse("desk:ticket", args=[ticket.pk]) + "#thread")
        ticket = _ticket(request, number)  # the failed write rolled back; show it as stored
    if internal:
        return _page(request, ticket, note_form=form, status=422)  # type: ignore[arg-type]
    return _page(request, ticket, reply_form=form, status=422)  # type: ignore[arg-type]


@require_POST
@staff_required
def reply(request: HttpRequest, number: int) -> HttpResponse:
    return _message(request, number, internal=False)


@require_POST
@staff_required
def note(request: HttpRequest, number: int) -> HttpResponse:
    return _message(request, number, internal=True)


def _inline(
    request: HttpRequest,
    number: int,
    make_form: Callable[[Ticket, list[Status]], forms.Form],
    change: Callable[[Ticket, dict[str, Any], list[Status]], object],
    done: str,
) -> HttpResponse:
    """A change of one header field: htmx gets the header back, a plain form a redirect."""
    ticket = _ticket(request, number)
    statuses = ticket_queries.statuses(ticket)
    form = make_form(ticket, statuses)
    if form.is_valid():
        run_action(form, None, lambda: change(ticket, form.cleaned_data, statuses))
    ok = not form.errors
    errors = {name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()}
    if not is_htmx(request):
        if ok:
            messages.success(request, done)
        for text in errors.values():
            messages.error(request, text)
        return redirect("desk:ticket", number=ticket.pk)
    ticket = _ticket(request, number)
    context = _fields_context(request, ticket, statuses, errors)
    context["saved"] = done if ok else ""
    response = render(request, "desk/_fields.html", context, status=200 if ok else 422)
    if ok:
        response["HX-Trigger"] = "ticket-changed"
    return response


@require_POST
@staff_required
def set_status(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        status = next(s for s in statuses if s.slug == data["status"])
        if status.category in DONE_CATEGORIES and not data.get("confirm"):
            _refuse_with_open_handoffs(request, ticket, status)
        return actions.set_status(me(request), ticket, status)

    return _inline(
        request, number, lambda t, s: StatusForm(request.POST, statuses=s), change,
        "Status changed.",
    )  # fmt: skip


def _refuse_with_open_handoffs(request: HttpRequest, ticket: Ticket, status: Status) -> None:
    """Solving a ticket leaves its open hand-offs running: the agent confirms it first."""
    still_open = [
        child for child in chain_queries.children(my_scope(request), ticket)
        if child.status_category in ACTIVE_CATEGORIES
    ]  # fmt: skip
    if still_open:
        numbers = ", ".join(f"#{c.pk} ({c.provider_party.name})" for c in still_open)
        raise Invalid(
            f"{len(still_open)} hand-off{'s are' if len(still_open) > 1 else ' is'} still open: "
            f"{numbers}. Set “{status.name}” anyway?",
            field="confirm",
        )


@require_POST
@staff_required
def set_priority(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        return actions.set_priority(me(request), ticket, data["priority"])

    return _inline(
        request, number, lambda t, s: PriorityForm(request.POST), change, "Priority changed."
    )


def _agreements(ticket: Ticket) -> list[Agreement]:
    day = clock.now().date()
    return applicable_agreements(ticket.client_party, ticket.provider_party, day)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def set_agreement(request: HttpRequest, number: int) -> HttpResponse:
    """GET: the choice of agreements the ticket may be put under (asked for only when
    an agent opens "Change", so the ticket page never pays for the list); a fragment
    for htmx, else a page of its own. POST: change it, and the clocks with it."""
    if request.method == "GET":
        ticket = _ticket(request, number)
        if not _permissions(my_scope(request), ticket)["can_change_agreement"]:
            raise Http404(f"The agreement of #{ticket.pk} is not yours to change.")
        form = AgreementForm(
            initial={"agreement": ticket.agreement_id}, agreements=_agreements(ticket)
        )
        context = {"ticket": ticket, "agreement_form": form}
        template = "desk/_agreement_form.html" if is_htmx(request) else "desk/agreement.html"
        return render(request, template, context)

    offered: list[Agreement] = []  # read once: the form checks the choice, `change` uses it

    def make_form(ticket: Ticket, statuses: list[Status]) -> AgreementForm:
        offered[:] = _agreements(ticket)
        return AgreementForm(request.POST, agreements=offered)

    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        chosen = next((a for a in offered if a.pk == data["agreement"]), None)
        return actions.set_agreement(me(request), ticket, chosen)

    return _inline(request, number, make_form, change, "Agreement changed; the clocks follow it.")


@require_GET
@staff_required
@never_cache
def clocks(request: HttpRequest, number: int) -> HttpResponse:
    """The clock panel again, after a change that may have moved its due times."""
    ticket = _ticket(request, number)
    context = {"ticket": ticket, **desk_sla.ticket_panel(my_scope(request), ticket, clock.now())}
    return render(request, "desk/_sla_block.html", context)


@require_POST
@staff_required
def assign(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        chosen = data["assignee"]
        assignee = Person.objects.filter(pk=chosen).first() if chosen else None
        return actions.assign(me(request), ticket, assignee)

    return _inline(
        request, number, lambda t, s: AssignForm(request.POST, staff=_assignable(t)), change,
        "Assignee changed.",
    )  # fmt: skip


@require_POST
@staff_required
def take(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        return actions.assign(me(request), ticket, me(request))

    return _inline(request, number, lambda t, s: forms.Form({}), change, "You took the ticket.")


@require_POST
@staff_required
def add_tag(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        return actions.tag(me(request), ticket, [data["tag"]])

    return _inline(request, number, lambda t, s: TagForm(request.POST), change, "Tag added.")


@require_POST
@staff_required
def remove_tag(request: HttpRequest, number: int) -> HttpResponse:
    def change(ticket: Ticket, data: dict[str, Any], statuses: list[Status]) -> object:
        return actions.untag(me(request), ticket, [data["tag"]])

    return _inline(request, number, lambda t, s: TagForm(request.POST), change, "Tag removed.")


@require_POST
@staff_required
def set_subject(request: HttpRequest, number: int) -> HttpResponse:
    """Rename the ticket: htmx gets the heading back (with the field's error, if
    any), a plain form a redirect."""
    ticket = _ticket(request, number)
    form = SubjectForm(request.POST)
    if form.is_valid():
        subject = form.cleaned_data["subject"]
        run_action(form, "subject", lambda: actions.set_subject(me(request), ticket, subject))
    error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Subject changed.")
        return redirect("desk:ticket", number=ticket.pk)
    ticket = _ticket(request, number)
    context = {
        "ticket": ticket,
        **_permissions(my_scope(request), ticket),
        "subject_error": error,
        "subject_value": request.POST.get("subject", "")[:1000] if error else ticket.subject,
        "subject_saved": not error,
    }
    response = render(request, "desk/_subject.html", context, status=422 if error else 200)
    if not error:
        response["HX-Trigger"] = "ticket-changed"
    return response


@require_POST
@staff_required
def merge(request: HttpRequest, number: int) -> HttpResponse:
    source = _ticket(request, number)
    form = MergeForm(request.POST)
    if form.is_valid():
        scope = my_scope(request)

        def write() -> Ticket:
            target = ticket_queries.get_ticket(scope, form.cleaned_data["into"], field="into")
            return actions.merge(me(request), source, target)

        target = run_action(form, "into", write)
        if target is not None:
            messages.success(request, f"#{source.pk} was merged into this ticket.")
            return redirect("desk:ticket", number=target.pk)
    return _page(request, _ticket(request, number), merge_form=form, status=422)
