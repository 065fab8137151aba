"""The writers of SLA settings: warning thresholds and escalations of an agreement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from rapport.agreements.actions import require_admin
from rapport.agreements.models import Agreement
from rapport.core.choices import Clock, Priority
from rapport.core.errors import Invalid
from rapport.directory.models import Person, Team
from rapport.sla.actions.clocks import on_terms_changed
from rapport.sla.clocks import BREACH
from rapport.sla.models import LIVE_STATES, Escalation, EscalationAction, Recipient, TicketClock
from rapport.tickets.models import Ticket

MAX_THRESHOLDS = 10
MAX_ESCALATIONS = 20
# Not Priority.names: Django's choices metaclass shadows it with the member names.
PRIORITY_NAMES = ", ".join(str(p.label) for p in Priority)


def _clean_percents(values: Iterable[Any]) -> list[int]:
    percents = []
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 99:
            raise Invalid("Warning thresholds are whole percents from 1 to 99.",
                          field="warning_percents")  # fmt: skip
        percents.append(value)
    if len(percents) > MAX_THRESHOLDS:
        raise Invalid(f"At most {MAX_THRESHOLDS} warning thresholds.", field="warning_percents")
    return sorted(set(percents))


def _clean_escalation(i: int, item: Mapping[str, Any], levels: set[int]) -> Escalation:
    where = f"Escalation {i}"
    at = item.get("at_percent")
    if at not in levels:
        raise Invalid(
            f"{where}: at_percent is one of the warning thresholds or 100 (the breach).",
            field="escalations",
        )
    clock = item.get("clock") or ""
    if clock and clock not in Clock.values:
        raise Invalid(f"{where}: unknown clock {clock!r}.", field="escalations")
    action = item.get("action")
    if action not in EscalationAction.values:
        raise Invalid(f"{where}: action is one of {', '.join(EscalationAction.values)}.",
                      field="escalations")  # fmt: skip
    esc = Escalation(at_percent=at, clock=clock, action=action)
    if action == EscalationAction.NOTIFY:
        recipients = list(item.get("recipients") or [])
        if not recipients or any(r not in Recipient.values for r in recipients):
            raise Invalid(f"{where}: recipients are some of {', '.join(Recipient.values)}.",
                          field="escalations")  # fmt: skip
        esc.recipients = sorted(set(recipients))
    elif action == EscalationAction.RAISE_PRIORITY:
        try:
            esc.priority = Priority.from_name(str(item.get("priority")))
        except ValueError:
            raise Invalid(f"{where}: priority is one of {PRIORITY_NAMES}.",
                          field="escalations")  # fmt: skip
    else:
        team_id = item.get("team")
        team = Team.objects.filter(pk=team_id).first() if isinstance(team_id, int) else None
        if team is None:
            raise Invalid(f"{where}: name the team whose lead takes the ticket.",
                          field="escalations")  # fmt: skip
        esc.team = team
    return esc


@transaction.atomic
def set_sla_settings(
    actor: Person | None,
    agreement: Agreement,
    *,
    warning_percents: Iterable[Any] | None = None,
    escalations: Iterable[Mapping[str, Any]] | None = None,
) -> Agreement:
    """Replace an agreement's warning thresholds and/or escalations."""
    require_admin(actor)
    if warning_percents is not None:
        agreement.warning_percents = _clean_percents(warning_percents)
        agreement.save(update_fields=["warning_percents"])
    levels = {*agreement.warning_percents, BREACH}
    if escalations is not None:
        items = list(escalations)
        if len(items) > MAX_ESCALATIONS:
            raise Invalid(f"At most {MAX_ESCALATIONS} escalations.", field="escalations")
        rows = [_clean_escalation(i, item, levels) for i, item in enumerate(items)]
        Escalation.objects.filter(agreement=agreement).delete()
        for row in rows:
            row.agreement = agreement
        Escalation.objects.bulk_create(rows)
    elif warning_percents is not None:
        # Escalations at a threshold that no longer exists would never fire.
        Escalation.objects.filter(agreement=agreement).exclude(at_percent__in=levels).delete()
    schedule_recompute(agreement.pk)
    return agreement


def schedule_recompute(agreement_id: int) -> None:
    """After this transaction commits, bring the agreement's live clocks up to date."""
    from rapport.sla.tasks import recompute_agreement

    transaction.on_commit(lambda: recompute_agreement(agreement_id))


def recompute_agreement(agreement_id: int, *, batch: int = 500) -> int:
    """Recompute the live clocks of every ticket under an agreement; returns tickets done."""
    done, last = 0, 0
    while True:
        ids = list(
            TicketClock.objects.filter(
                agreement_id=agreement_id, state__in=LIVE_STATES, ticket_id__gt=last
            )
            .order_by("ticket_id")
            .values_list("ticket_id", flat=True)
            .distinct()[:batch]
        )
        if not ids:
            return done
        for ticket in Ticket.objects.filter(pk__in=ids).order_by("pk"):
            with transaction.atomic():
                on_terms_changed(ticket, None, "agreement changed")
            done += 1
        last = ids[-1]
