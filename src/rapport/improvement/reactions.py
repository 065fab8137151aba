"""What the improvement app does when tickets go wrong: open the outcome review.

Each handler keys the review on its source (the event, or the survey of the ticket
for answers, the quality review for a critical fail), so a replay or a retry finds
the review it opened instead of a second one.
"""

from __future__ import annotations

from typing import Any

from rapport.agreements.models import Agreement
from rapport.directory.models import Party
from rapport.improvement.actions import open_review
from rapport.improvement.models import Trigger
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to

CSAT_LOW = 2  # 1–2 of 5
CES_HIGH = 5  # 5–7 of 7: hard to get help
NPS_DETRACTOR = 6  # 0–6


@reacts_to("sla_breached")
def breached_clock(event: Event, ticket: Ticket) -> None:
    """SLA, OLA and UC clocks alike: the agreement's kind says which."""
    agreement_id = event.data.get("agreement") or ticket.agreement_id
    kind = None
    if isinstance(agreement_id, int):
        kind = Agreement.objects.filter(pk=agreement_id).values_list("kind", flat=True).first()
    detail = {
        "clock": event.data.get("clock") or event.field,
        "agreement": agreement_id,
        "agreement_kind": kind or "",
    }
    open_review(
        Trigger.BREACH, f"event:{event.pk}", ticket=ticket, detail=detail, at=event.created_at
    )


def _survey_trigger(data: dict[str, Any]) -> str | None:
    csat, ces, nps = data.get("csat"), data.get("ces"), data.get("nps")
    if isinstance(csat, int) and csat <= CSAT_LOW:
        return Trigger.CSAT
    if isinstance(ces, int) and ces >= CES_HIGH:
        return Trigger.CES
    if isinstance(nps, int) and nps <= NPS_DETRACTOR:
        return Trigger.NPS
    return None


@reacts_to("survey_answer")
def unhappy_answer(event: Event, ticket: Ticket) -> None:
    """One review per survey (keyed on its ticket), by the first poor answer of CSAT,
    CES and NPS: a survey answered in two steps opens it once."""
    trigger = _survey_trigger(event.data)
    if trigger is None:
        return
    detail = {m: event.data[m] for m in ("csat", "ces", "nps") if m in event.data}
    open_review(trigger, f"survey:{ticket.pk}", ticket=ticket, detail=detail, at=event.created_at)


@reacts_to("reopened")
def reopened(event: Event, ticket: Ticket) -> None:
    open_review(
        Trigger.REOPEN,
        f"event:{event.pk}",
        ticket=ticket,
        detail={"reopens": ticket.reopen_count},
        at=event.created_at,
    )


@reacts_to("complaint")
def complaint(event: Event, ticket: Ticket) -> None:
    open_review(
        Trigger.COMPLAINT,
        f"event:{event.pk}",
        ticket=ticket,
        detail={"message": event.data.get("message"), "note": event.data.get("note", "")},
        at=event.created_at,
    )


@reacts_to("qa_critical_fail")
def critical_quality_fail(event: Event, ticket: Ticket) -> None:
    """From the people app's quality reviews: one outcome review per quality review."""
    provider_id = event.data.get("provider")
    provider = Party.objects.filter(pk=provider_id).first() if provider_id else None
    source = f"qa:{event.data.get('review') or f'event-{event.pk}'}"
    open_review(
        Trigger.QA_CRITICAL,
        source,
        ticket=ticket,
        provider=provider,
        detail={"quality_review": event.data.get("review"), "agent": event.data.get("agent")},
        at=event.created_at,
    )
