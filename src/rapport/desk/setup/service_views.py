"""Settings: the Settings home, new agreements, survey settings at a glance, new
mailboxes and their IMAP connection, API tokens, statuses."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from imapclient import IMAPClient

from rapport.accounts import actions as account_actions
from rapport.accounts.models import ApiToken
from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement
from rapport.core.errors import RapportError
from rapport.desk.setup.common import admin, admin_required, report
from rapport.desk.setup.forms import (
    AgreementForm,
    ImapForm,
    MailboxNewForm,
    StatusEditForm,
    StatusForm,
    TokenForm,
)
from rapport.directory.models import Organisation, Party, Person, Team
from rapport.directory.queries import scope_for
from rapport.mail import actions as mail_actions
from rapport.mail import crypto
from rapport.mail.models import Mailbox, OutboundMessage, OutboundState
from rapport.surveys.models import SurveySettings
from rapport.tickets import actions as ticket_actions
from rapport.tickets import queries as ticket_queries
from rapport.tickets import reactor
from rapport.tickets.models import ReactionState, Status

IMAP_TIMEOUT_SECONDS = 10


@admin_required
def home(request: HttpRequest) -> HttpResponse:
    lag = reactor.lag()
    scope = scope_for(admin(request))
    context = {
        "people": Person.objects.filter(is_active=True).aggregate(
            staff=Count("pk", filter=~Q(staff_role="")), all=Count("pk")
        ),
        "organisations": Organisation.objects.count(),
        "teams": Team.objects.count(),
        "agreements": Agreement.objects.count(),
        "mailboxes": Mailbox.objects.count(),
        "failed_reactions": ticket_queries.pending_reactions(scope)
        .exclude(state=ReactionState.HELD)
        .count(),
        "reaction_lag": max((row["seconds_behind"] for row in lag.values()), default=0.0),
        "failed_mail": OutboundMessage.objects.filter(
            state__in=(OutboundState.FAILED, OutboundState.BOUNCED)
        ).count(),
        "queued_mail": OutboundMessage.objects.filter(state=OutboundState.QUEUED).count(),
    }
    return render(request, "setup/home.html", context)


@admin_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        provider, client = form.parties()
        del data["provider"], data["client"]
        try:
            agreement = agreement_actions.create_agreement(
                admin(request), provider=provider, client=client, **data
            )
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Created {agreement.name}. Now set its targets and pauses.")
            return redirect("sla-agreement", agreement.pk)
    status = 422 if form.errors else 200
    return render(request, "setup/agreement_new.html", {"form": form}, status=status)


@admin_required
def surveys(request: HttpRequest) -> HttpResponse:
    rows = list(Agreement.objects.select_related("provider", "client").order_by("name"))
    saved = {row.agreement_id: row for row in SurveySettings.objects.all()}
    for agreement in rows:
        # No saved row: the defaults apply (see surveys.actions.on_ticket_solved).
        agreement.survey = saved.get(agreement.pk) or SurveySettings()  # type: ignore[attr-defined]
        agreement.survey_saved = agreement.pk in saved  # type: ignore[attr-defined]
    return render(request, "setup/surveys.html", {"agreements": rows})


@admin_required
def mailbox_new(request: HttpRequest) -> HttpResponse:
    form = MailboxNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = Party.objects.get(pk=form.cleaned_data["provider"])
        try:
            mailbox = mail_actions.create_mailbox(
                admin(request), address=form.cleaned_data["address"], provider=provider
            )
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Created {mailbox.address}.")
            return redirect("mail-mailbox", mailbox.pk)
    status = 422 if form.errors else 200
    return render(request, "setup/mailbox_new.html", {"form": form}, status=status)


def _mailbox(mailbox_id: int) -> Mailbox:
    found = Mailbox.objects.filter(pk=mailbox_id).first()
    if found is None:
        raise Http404("No such mailbox.")
    return found


@admin_required
def mailbox_imap(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = _mailbox(mailbox_id)
    initial = {
        name: getattr(mailbox, name) for name in ImapForm.base_fields if name != "imap_password"
    }
    form = ImapForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("imap_password") or None
        try:
            mail_actions.update_mailbox(admin(request), mailbox, imap_password=password, **data)
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Saved the IMAP settings of {mailbox.address}.")
            return redirect("settings:mailbox-imap", mailbox.pk)
    context = {"mailbox": mailbox, "form": form,
               "has_password": bool(mailbox.imap_password_encrypted)}  # fmt: skip
    return render(request, "setup/mailbox_imap.html", context, status=422 if form.errors else 200)


@admin_required
@require_POST
def mailbox_test(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """Sign in to the mailbox's IMAP server and open its folder, as the poller would."""
    mailbox = _mailbox(mailbox_id)
    if not mailbox.imap_host:
        messages.error(request, "Give the IMAP server first.")
        return redirect("settings:mailbox-imap", mailbox.pk)
    try:
        with IMAPClient(
            mailbox.imap_host, port=mailbox.imap_port, ssl=mailbox.imap_tls,
            timeout=IMAP_TIMEOUT_SECONDS,
        ) as client:  # fmt: skip
            client.login(mailbox.imap_username, crypto.decrypt(mailbox.imap_password_encrypted))
            info = client.select_folder(mailbox.imap_folder or "INBOX", readonly=True)
    except Exception as exc:  # any failure is the answer: refused, timed out, bad login
        messages.error(request, f"The connection failed: {type(exc).__name__}: {exc}"[:300])
    else:
        count = info.get(b"EXISTS", 0)
        messages.success(
            request, f"Connected: {mailbox.imap_folder or 'INBOX'} holds {count} messages."
        )
    return redirect("settings:mailbox-imap", mailbox.pk)


@admin_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = request.session.pop("new_token_key", None)
    if request.method == "POST" and form.is_valid():
        _, key = account_actions.create_token(
            admin(request), form.cleaned_data["person"], name=form.cleaned_data["name"]
        )
        # Shown once on the next page, then gone: only its hash is stored.
        request.session["new_token_key"] = key
        return redirect("settings:tokens")
    rows = ApiToken.objects.select_related("person").order_by("revoked_at", "-created_at")[:200]
    context = {"tokens": rows, "form": form, "new_key": new_key}
    return render(request, "setup/tokens.html", context, status=422 if form.errors else 200)


@admin_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    account_actions.revoke_token(admin(request), token)
    messages.success(request, f"Revoked {token}.")
    return redirect("settings:tokens")


@admin_required
def statuses(request: HttpRequest) -> HttpResponse:
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            status = ticket_actions.create_status(admin(request), **form.cleaned_data)
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Added the status {status.name}.")
            return redirect("settings:statuses")
    return _statuses_page(request, form=form)


def _statuses_page(
    request: HttpRequest,
    *,
    form: StatusForm | None = None,
    failed: tuple[int, StatusEditForm] | None = None,
) -> HttpResponse:
    rows = list(Status.objects.order_by("position", "id"))
    for row in rows:
        row.form = (  # type: ignore[attr-defined]
            failed[1] if failed and failed[0] == row.pk else StatusEditForm(
                initial={"name": row.name, "position": row.position,
                         "is_default": row.is_default},
                auto_id=f"id_s{row.pk}_%s",
            )
        )  # fmt: skip
    status = 422 if (form and form.errors) or failed else 200
    context = {"statuses": rows, "form": form or StatusForm()}
    return render(request, "setup/statuses.html", context, status=status)


@admin_required
@require_POST
def status_edit(request: HttpRequest, status_id: int) -> HttpResponse:
    found = Status.objects.filter(pk=status_id).first()
    if found is None:
        raise Http404("No such status.")
    form = StatusEditForm(request.POST, auto_id=f"id_s{found.pk}_%s")
    if form.is_valid():
        try:
            ticket_actions.update_status(admin(request), found, **form.cleaned_data)
        except RapportError as exc:
            report(form, exc)
        else:
            messages.success(request, f"Saved the status {found.name}.")
            return redirect("settings:statuses")
    return _statuses_page(request, failed=(found.pk, form))
