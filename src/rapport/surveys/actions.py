"""The only writers of surveys: settings, scheduling on solve, sending, answers."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from rapport.agreements.models import Agreement
from rapport.core import clock
from rapport.core.choices import DONE_CATEGORIES
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.directory.queries import scope_for
from rapport.mail.models import InboundMessage, Outcome
from rapport.mail.outbound import queue_mail
from rapport.surveys import links
from rapport.surveys.models import QUESTIONS, SCALES, Metric, Survey, SurveySettings, SurveyState
from rapport.tickets import events
from rapport.tickets.models import Message, Side, Ticket

logger = logging.getLogger(__name__)
MAX_COMMENT = 5000


@transaction.atomic
def configure(
    actor: Person | None,
    agreement: Agreement,
    *,
    enabled: bool = True,
    csat: bool = True,
    ces: bool = False,
    nps: bool = False,
    ask_comment: bool = True,
    delay_minutes: int = 60,
) -> SurveySettings:
    """Choose what an agreement's clients are asked; admins only."""
    if actor is not None and not scope_for(actor).is_admin:
        raise PermissionDenied("Only an admin can change survey settings.")
    if enabled and not (csat or ces or nps):
        raise Invalid("Choose at least one question (CSAT, CES or NPS).", field="csat")
    if not 0 <= delay_minutes <= 60 * 24 * 30:
        raise Invalid("The delay is between 0 and 43200 minutes (30 days).", field="delay_minutes")
    row, _ = SurveySettings.objects.update_or_create(
        agreement=agreement,
        defaults={"enabled": enabled, "csat": csat, "ces": ces, "nps": nps,
                  "ask_comment": ask_comment, "delay_minutes": delay_minutes},
    )  # fmt: skip
    return row


def is_auto_reply_address(address: str) -> bool:
    """True once the mail channel classified mail from this address as an auto-reply:
    such a mailbox would only answer our survey with another auto-reply."""
    return InboundMessage.objects.filter(
        sender__iexact=address, outcome=Outcome.AUTO_REPLY
    ).exists()


def answering_agent(ticket: Ticket) -> Person | None:
    """Who actually answered: the author of the last public reply from the provider."""
    last = (
        Message.objects.filter(ticket=ticket, is_internal=False, author_side=Side.PROVIDER)
        .exclude(author=None)
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    return last.author if last is not None else None


def on_ticket_solved(
    ticket: Ticket, actor: Person | None, *, at: datetime | None = None
) -> Survey | None:
    """A ticket became solved (the surveys' reaction to its status event): schedule its
    one survey. A ticket solved again after a reopen keeps its first survey (at most
    one per ticket), which also makes a repeat of the reaction do nothing.
    """
    if ticket.agreement_id is None or ticket.merged_into_id is not None:
        return None
    # No row yet: the defaults the settings page shows apply (CSAT, an hour after the
    # solve), so what an admin sees there is what happens before anyone presses Save.
    settings_row = SurveySettings.objects.filter(
        agreement_id=ticket.agreement_id
    ).first() or SurveySettings(agreement_id=ticket.agreement_id)
    if not settings_row.enabled or not settings_row.metrics:
        return None
    if Survey.objects.filter(ticket=ticket).exists():
        return None
    now = at or clock.now()  # the solve's moment: the delay counts from it
    respondent = ticket.requester
    state, reason = SurveyState.SCHEDULED, ""
    if not respondent.email:
        state, reason = SurveyState.SUPPRESSED, "the requester has no e-mail address"
    elif not respondent.is_active:
        state, reason = SurveyState.SUPPRESSED, "the requester's account is disabled"
    elif is_auto_reply_address(respondent.email):
        state, reason = SurveyState.SUPPRESSED, "the requester's address sends auto-replies"
    survey = Survey.objects.create(
        ticket=ticket, agreement_id=ticket.agreement_id,
        provider_party_id=ticket.provider_party_id, agent=answering_agent(ticket),
        respondent=respondent, metrics=settings_row.metrics,
        ask_comment=settings_row.ask_comment, state=state, reason=reason, created_at=now,
        send_at=now + timedelta(minutes=settings_row.delay_minutes),
    )  # fmt: skip
    events.append(ticket, actor, "survey", new=state, at=now, survey=survey.pk, reason=reason)
    return survey


def send_due(now: datetime | None = None, batch: int = 200) -> int:
    """Send every scheduled survey whose time has come; how many went out.

    Each row is claimed with a conditional UPDATE, so several workers may run this
    at once and no survey is mailed twice.
    """
    now = now or clock.now()
    sent = 0
    due = list(
        Survey.objects.filter(state=SurveyState.SCHEDULED, send_at__lte=now)
        .order_by("send_at", "id")
        .values_list("pk", flat=True)[:batch]
    )
    for survey_id in due:
        with transaction.atomic():
            survey = Survey.objects.select_related("ticket", "respondent").get(pk=survey_id)
            if survey.ticket.status_category not in DONE_CATEGORIES:
                claimed = Survey.objects.filter(pk=survey_id, state=SurveyState.SCHEDULED).update(
                    state=SurveyState.SUPPRESSED, reason="the ticket was reopened before sending"
                )
                continue
            claimed = Survey.objects.filter(pk=survey_id, state=SurveyState.SCHEDULED).update(
                state=SurveyState.SENT, sent_at=now
            )
            if not claimed:
                continue  # another worker sent it
            _mail(survey)
            sent += 1
    return sent


def _mail(survey: Survey) -> None:
    context = survey_context(survey)
    subject = f"[#{survey.ticket_id}] How did we do? {survey.ticket.subject}"[:300]
    text = render_to_string("surveys/mail.txt", context)
    html = render_to_string("surveys/mail.html", context)
    queue_mail(to=survey.respondent.email, subject=subject, text=text, html=html,
               kind="survey", ticket=survey.ticket)  # fmt: skip


def survey_context(survey: Survey) -> dict[str, Any]:
    questions = []
    for metric in survey.metrics:
        low, high = SCALES[metric]
        questions.append({
            "metric": metric,
            "label": Metric(metric).label,
            "question": QUESTIONS[metric],
            "low": low,
            "high": high,
            "choices": [(v, links.rating_url(survey.pk, metric, v)) for v in range(low, high + 1)],
            "answer": getattr(survey, metric),
        })  # fmt: skip
    return {"survey": survey, "ticket": survey.ticket, "questions": questions,
            "survey_url": links.survey_url(survey.pk)}  # fmt: skip


def _check_value(metric: str, value: object) -> int:
    if metric not in SCALES:
        raise Invalid(f"Unknown question {metric!r}.", field="metric")
    low, high = SCALES[metric]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"{metric.upper()} is a whole number from {low} to {high}.", field=metric)
    return value


def may_answer(actor: Person | None, survey: Survey) -> bool:
    return actor is not None and actor.is_authenticated and actor.pk == survey.respondent_id


@transaction.atomic
def answer(
    survey: Survey,
    *,
    actor: Person | None = None,
    by_link: bool = False,
    ratings: dict[str, int] | None = None,
    comment: str | None = None,
) -> Survey:
    """Record answers. `by_link`: the caller checked a signed link, which stands in for
    signing in. Repeating an answer changes nothing (links are idempotent); a new
    value replaces the old one, as people change their mind."""
    if not by_link and not may_answer(actor, survey):
        raise PermissionDenied("Only the person who raised the request rates it.")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state == SurveyState.SUPPRESSED:
        raise Conflict("This survey was not sent.")
    fields: list[str] = []
    for metric, value in (ratings or {}).items():
        if metric not in survey.metrics:
            raise Invalid(f"This survey does not ask {metric.upper()}.", field=metric)
        value = _check_value(metric, value)
        if getattr(survey, metric) != value:
            setattr(survey, metric, value)
            fields.append(metric)
    if comment is not None:
        if len(comment) > MAX_COMMENT:
            raise Invalid(f"A comment is at most {MAX_COMMENT} characters.", field="comment")
        # Plain text as typed; pages and e-mails escape it when they show it.
        cleaned = comment.replace("\x00", "").strip()
        if cleaned != survey.comment:
            survey.comment = cleaned
            fields.append("comment")
    if not fields:
        return survey
    now = clock.now()
    if survey.state != SurveyState.ANSWERED:
        survey.state = SurveyState.ANSWERED
        survey.answered_at = now
        survey.sent_at = survey.sent_at or now  # answered in the portal before the mail
        fields += ["state", "answered_at", "sent_at"]
    survey.save(update_fields=fields)
    events.append(
        survey.ticket, actor, "survey_answer", at=now,
        **{m: getattr(survey, m) for m in survey.metrics},
    )  # fmt: skip
    return survey
